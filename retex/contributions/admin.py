from django.contrib import admin

from retex.consultations.admin import organised_by
from retex.contributions.models import Testimony, Tool


@admin.register(Testimony)
class TestimonyAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "consultation", "status", "published_at"]
    list_filter = ["status", "consultation", "in_audience"]
    search_fields = ["title"]
    raw_id_fields = ["territory"]
    list_select_related = ["territory", "consultation"]
    readonly_fields = ["pending_revision"]

    def get_queryset(self, request):
        # Authors' contact details are private: organisers see their own consultations only.
        return (
            super()
            .get_queryset(request)
            .filter(consultation__in=organised_by(request).values("pk"))
        )


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
