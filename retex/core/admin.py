from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Retex — organisers' area")
admin.site.site_title = _("Retex organisers")
admin.site.index_title = _("Consultations and testimonies")
