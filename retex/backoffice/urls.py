"""Pages for running a consultation: one module of views per area, each adding its routes."""

from django.urls import path  # noqa: F401

from retex.backoffice.views import audit, consultation, dashboard, exports, imports, team

app_name = "backoffice"
urlpatterns: list = []

# Consultation settings, team and audit log (organisers only).
urlpatterns += [
    path("<slug:slug>/parametres/", consultation.texts, name="settings"),
    path("<slug:slug>/parametres/public-vise/", consultation.audience, name="settings_audience"),
    path("<slug:slug>/parametres/themes/", consultation.themes, name="settings_themes"),
    path(
        "<slug:slug>/parametres/themes/<int:theme_id>/",
        consultation.theme,
        name="settings_theme",
    ),
    path(
        "<slug:slug>/parametres/themes/<int:theme_id>/deplacer/",
        consultation.theme_move,
        name="settings_theme_move",
    ),
    path(
        "<slug:slug>/parametres/themes/<int:theme_id>/supprimer/",
        consultation.theme_delete,
        name="settings_theme_delete",
    ),
    path(
        "<slug:slug>/parametres/themes/<int:theme_id>/sous-themes/",
        consultation.subtopic_add,
        name="settings_subtopic_add",
    ),
    path(
        "<slug:slug>/parametres/sous-themes/<int:subtopic_id>/",
        consultation.subtopic_rename,
        name="settings_subtopic_rename",
    ),
    path(
        "<slug:slug>/parametres/sous-themes/<int:subtopic_id>/deplacer/",
        consultation.subtopic_move,
        name="settings_subtopic_move",
    ),
    path(
        "<slug:slug>/parametres/sous-themes/<int:subtopic_id>/supprimer/",
        consultation.subtopic_delete,
        name="settings_subtopic_delete",
    ),
    path("<slug:slug>/parametres/date-limite/", consultation.deadline, name="settings_deadline"),
    path("<slug:slug>/equipe/", team.team, name="team"),
    path("<slug:slug>/equipe/<int:membership_id>/role/", team.team_role, name="team_role"),
    path("<slug:slug>/equipe/<int:membership_id>/retirer/", team.team_remove, name="team_remove"),
    path("<slug:slug>/journal/", audit.audit, name="audit"),
    path("<slug:slug>/journal/export.csv", audit.audit_export, name="audit_export"),
]

# Dashboard (the whole team), import and export of testimonies (organisers only).
urlpatterns += [
    path("<slug:slug>/tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    path(
        "<slug:slug>/tableau-de-bord/collectivites-sans-temoignage.csv",
        dashboard.dashboard_missing_csv,
        name="dashboard_missing",
    ),
    path("<slug:slug>/import/", imports.import_start, name="import"),
    path("<slug:slug>/import/confirmer/", imports.import_confirm, name="import_confirm"),
    path("<slug:slug>/import/aide/", imports.import_help, name="import_help"),
    path(
        "<slug:slug>/import/modele.<str:extension>",
        imports.import_template,
        name="import_template",
    ),
    path("<slug:slug>/export/", exports.export, name="export"),
    path(
        "<slug:slug>/export/temoignages.<str:extension>",
        exports.export_file,
        name="export_file",
    ),
]
