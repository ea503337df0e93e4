"""What the representatives app plugs into the platform and into the partnerships register:
menu entries, dashboard and public panels, the representatives' report as a board-pack paper
and as a PDF made in the background, the confirmed-address check for password resets, who holds
each third-sector place, the demo, the term-ending reminder and the permission rules.
``RepresentativesConfig.ready()`` calls :func:`register`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from compact.demo import DemoLoader
from compact.platform import registry
from compact.platform.access import Role
from compact.platform.registry import DashboardPanel, EmailConfirmation, NavItem, PublicPanel
from compact.platform.reminders import Reminder
from partnerships.hooks import PlaceHolderSource
from representatives import panels, papers, permissions, selectors, services
from representatives.demo import load_demo
from representatives.reminders import send_term_end_reminders

PARTNERSHIPS = _("Partnerships")


def register() -> None:
    registry.register(
        NavItem(
            label=_("Become a representative"),
            url_name="representatives:signup",
            order=50,
            public=True,
            visitors_only=True,
        ),
        # Administrators follow the rounds they put sign-ups forward to; officers run them.
        NavItem(
            label=_("Representation"),
            url_name="representatives:round_list",
            section=PARTNERSHIPS,
            order=40,
            roles=frozenset({Role.OFFICER, Role.ADMINISTRATOR}),
        ),
        NavItem(
            label=_("Sign-ups"),
            url_name="representatives:signup_list",
            section=PARTNERSHIPS,
            order=41,
            roles=frozenset({Role.ADMINISTRATOR}),
        ),
        NavItem(
            label=_("My representation"),
            url_name="representatives:mine",
            section=PARTNERSHIPS,
            order=42,
            roles=frozenset({Role.REPRESENTATIVE}),
        ),
        PublicPanel(
            key="representatives.become",
            template="representatives/panels/become.html",
            context=lambda request: {},
            order=30,
        ),
        DashboardPanel(
            key="representatives-terms",
            template="representatives/panels/terms.html",
            context=panels.officer_panel,
            order=40,
            roles=frozenset({Role.OFFICER}),
        ),
        DashboardPanel(
            key="representatives-signups",
            template="representatives/panels/signups.html",
            context=panels.signup_panel,
            order=39,
            roles=frozenset({Role.ADMINISTRATOR}),
        ),
        DashboardPanel(
            key="representatives-mine",
            template="representatives/panels/mine.html",
            context=panels.representative_panel,
            order=41,
            roles=frozenset({Role.REPRESENTATIVE}),
        ),
        papers.provider(),
        papers.file_producer(),  # the report's PDF, in the background
        EmailConfirmation(key="representatives.signup", check=services.signup_email_confirmed),
        PlaceHolderSource(
            key="representatives",
            count=selectors.place_holder_counts,
            names=selectors.place_holder_names,
        ),
        DemoLoader(name="representatives", load=load_demo, order=30),
        Reminder(
            "representatives.terms_ending",
            lambda today: len(send_term_end_reminders(today=today)),
        ),
    )
    permissions.register_rules()
