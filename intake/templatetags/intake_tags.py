from django import template

from intake.selectors import takes_contact_requests

register = template.Library()


@register.filter
def takes_requests(offering) -> bool:
    """Whether the offering's page shows "Be dem kontakta dig" (intake.selectors)."""
    return takes_contact_requests(offering)
