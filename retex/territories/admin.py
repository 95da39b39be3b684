from django.contrib import admin

from retex.territories.models import Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "population", "departement"]
    list_filter = ["kind"]
    search_fields = ["search_name", "code"]
    list_select_related = ["departement"]
    readonly_fields = [field.name for field in Territory._meta.fields]

    def has_add_permission(self, request):
        return False  # the reference comes from `retex territories load` only

    def has_delete_permission(self, request, obj=None):
        return False
