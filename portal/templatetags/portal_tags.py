"""Links that keep the resident's municipality: `{% kommun_url "pathways:start" %}`.

The municipality travels in the URL (`kommun=<slug>`, DOMAIN.md). The middleware records the
query the current page must carry (providers.municipalities.current_query: empty for the default
municipality and on pinned hosts), so includes rendered with `only` can link correctly too.
"""

from django import template
from django.urls import reverse

from providers.municipalities import current_query

register = template.Library()


@register.simple_tag
def kommun_url(viewname: str, *args, query: str = "", **kwargs) -> str:
    """The URL of `viewname` with the page's municipality, and `query` after it if given."""
    url = reverse(viewname, args=args or None, kwargs=kwargs or None)
    return with_kommun(url, query)


@register.filter
def kommun(url: str) -> str:
    """`url` (maybe with a query already) with the page's municipality added."""
    base, _sep, query = str(url).partition("?")
    return with_kommun(base, query)


def with_kommun(url: str, query: str = "") -> str:
    parts = [part for part in (current_query.get(), query) if part]
    return url + ("?" + "&".join(parts) if parts else "")
