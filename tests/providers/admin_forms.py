"""Posting an admin change form as an editor does: what the form shows, with some changes."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


def change_url(obj: models.Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def post_change_form(client, obj: models.Model, **changes):
    """Submit `obj`'s admin change form with its current values and `changes`.

    Inline rows are left as they are (empty management forms), as when an editor only
    touches the main fields.
    """
    return post_admin_form(client, change_url(obj), **changes)


def post_admin_form(client, url: str, **changes):
    """Submit the admin form at `url` (a change form, or a history version's revert form)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {}
    for name, value in page.context["adminform"].form.initial.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | models.QuerySet):
            value = [getattr(item, "pk", item) for item in value]
        data[name] = value
    for inline in page.context.get("inline_admin_formsets", []):
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return client.post(url, data)
