from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentativesConfig(AppConfig):
    name = "representatives"
    verbose_name = _("Representatives")

    def ready(self) -> None:
        from compact.demo import DemoLoader
        from compact.platform.access import Role
        from compact.platform.registry import (
            DashboardPanel,
            NavItem,
            register_dashboard_panel,
            register_demo_loader,
            register_email_confirmation,
            register_nav_item,
            register_paper_provider,
            register_public_panel,
        )
        from compact.platform.reminders import register_reminder
        from representatives import panels, papers, permissions, services  # noqa: F401  (rules)
        from representatives.demo import load_demo
        from representatives.reminders import send_term_end_reminders

        register_reminder(
            "representatives.terms_ending",
            lambda today: len(send_term_end_reminders(today=today)),
        )

        register_nav_item(
            NavItem(
                label=_("Become a representative"),
                url_name="representatives:signup",
                order=50,
                public=True,
                visitors_only=True,
            )
        )
        register_public_panel(
            DashboardPanel(
                key="representatives.become",
                template="representatives/panels/become.html",
                context=lambda request: {},
                order=30,
            )
        )
        officers = frozenset({Role.OFFICER})
        # Administrators follow the rounds they put sign-ups forward to; officers run them.
        register_nav_item(
            NavItem(
                label=_("Representation"),
                url_name="representatives:round_list",
                section=_("Partnerships"),
                order=40,
                roles=frozenset({Role.OFFICER, Role.ADMINISTRATOR}),
            )
        )
        register_nav_item(
            NavItem(
                label=_("Sign-ups"),
                url_name="representatives:signup_list",
                section=_("Partnerships"),
                order=41,
                roles=frozenset({Role.ADMINISTRATOR}),
            )
        )
        register_nav_item(
            NavItem(
                label=_("My representation"),
                url_name="representatives:mine",
                section=_("Partnerships"),
                order=42,
                roles=frozenset({Role.REPRESENTATIVE}),
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                key="representatives-terms",
                template="representatives/panels/terms.html",
                context=panels.officer_panel,
                order=40,
                roles=officers,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                key="representatives-signups",
                template="representatives/panels/signups.html",
                context=panels.signup_panel,
                order=39,
                roles=frozenset({Role.ADMINISTRATOR}),
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                key="representatives-mine",
                template="representatives/panels/mine.html",
                context=panels.representative_panel,
                order=41,
                roles=frozenset({Role.REPRESENTATIVE}),
            )
        )
        register_paper_provider(papers.provider())
        register_email_confirmation(services.signup_email_confirmed)
        from compact.platform.background import register_file_producer

        register_file_producer(papers.file_producer())  # the report's PDF, in the background
        from compact.platform import registry
        from partnerships.hooks import PlaceHolderSource
        from representatives import selectors

        registry.register(
            PlaceHolderSource(
                key="representatives",
                count=selectors.place_holder_counts,
                names=selectors.place_holder_names,
            )
        )
        register_demo_loader(DemoLoader(name="representatives", load=load_demo, order=30))
