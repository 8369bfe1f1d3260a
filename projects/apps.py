from django.apps import AppConfig
from django.core import checks


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Teams and projects"

    def ready(self) -> None:
        from projects import signals  # noqa: F401 (connects the sign-in receiver)

        checks.register(idp_teams_check, checks.Tags.security)


def idp_teams_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A malformed PAYDOWN_IDP_TEAMS stops the start, not a sign-in."""
    from django.conf import settings

    from projects import identity

    try:
        identity.parse_mapping(settings.PAYDOWN_IDP_TEAMS)
    except (ValueError, AttributeError) as error:
        return [checks.Error(str(error), id="paydown.E001")]
    return []
