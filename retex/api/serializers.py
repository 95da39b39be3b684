"""The API's JSON shapes (read-only). They describe the OpenAPI document too.

Testimonies are serialised from their public record (`retex.api.records.PublicTestimony`),
never from the model: what a serializer can reach is already what may be published.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from retex.consultations.enums import AudienceEnforcement, ConsultationPhase, EpciPopulationBasis
from retex.contributions.enums import AttachmentKind
from retex.territories.enums import PopulationBand, TerritoryKind


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("INSEE code."))
    name = serializers.CharField()


# --- Testimonies ---------------------------------------------------------------------------


class TestimonyTerritorySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TerritoryKind.choices)
    population_band = serializers.ChoiceField(choices=PopulationBand.choices, allow_null=True)
    region = PlaceSerializer(allow_null=True)
    id = serializers.IntegerField(
        allow_null=True, help_text=_("null for an anonymous testimony, as the fields below.")
    )
    code = serializers.CharField(
        allow_null=True,
        help_text=_("INSEE code of a commune; SIREN number of an intercommunality."),
    )
    name = serializers.CharField(allow_null=True)
    population = serializers.IntegerField(allow_null=True)
    departement = PlaceSerializer(allow_null=True)


class LabelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    url = serializers.URLField()
    thumbnail_url = serializers.URLField(allow_null=True)
    size = serializers.IntegerField(help_text=_("In bytes."))
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class TestimonySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text=_("The testimony's public page."))
    consultation = serializers.SlugField(help_text=_("Short name of its call for testimonies."))
    title = serializers.CharField()
    published_at = serializers.DateTimeField()
    anonymous = serializers.BooleanField(
        help_text=_(
            "The local authority asked not to be named: its territory only gives its kind,"
            " population band and région."
        )
    )
    territory = TestimonyTerritorySerializer()
    themes = LabelSerializer(many=True)
    subtopics = LabelSerializer(many=True)
    initiative = serializers.CharField()
    difficulties = serializers.CharField(allow_blank=True)
    lessons = serializers.CharField(allow_blank=True)
    tools = serializers.ListField(child=serializers.CharField())
    partners = serializers.CharField(allow_blank=True)
    cost_and_team = serializers.CharField(allow_blank=True)
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    links = serializers.ListField(child=serializers.URLField())
    attachments = AttachmentSerializer(many=True)


# --- Consultations -------------------------------------------------------------------------


class SubtopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The value of the testimonies' theme filter."))
    position = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    accepts_other_subtopics = serializers.BooleanField()
    subtopics = SubtopicSerializer(many=True, source="subtopics.all")
    published_count = serializers.SerializerMethodField(
        help_text=_("Published testimonies filed under this theme.")
    )

    def get_published_count(self, theme) -> int:
        return self.context.get("theme_counts", {}).get(theme.pk, 0)


class AudienceSerializer(serializers.Serializer):
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=TerritoryKind.choices),
        help_text=_("Empty: every kind of local authority."),
    )
    population_min = serializers.IntegerField(allow_null=True)
    population_max = serializers.IntegerField(allow_null=True)
    epci_population_basis = serializers.ChoiceField(choices=EpciPopulationBasis.choices)
    enforcement = serializers.ChoiceField(choices=AudienceEnforcement.choices)


class DeadlineExtensionSerializer(serializers.Serializer):
    previous_closes_at = serializers.DateTimeField()
    new_closes_at = serializers.DateTimeField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ConsultationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    organiser_names = serializers.CharField()
    phase = serializers.SerializerMethodField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField(help_text=_("The deadline in force."))
    results_expected_on = serializers.DateField(allow_null=True)
    results_published_at = serializers.DateTimeField(allow_null=True)
    published_count = serializers.SerializerMethodField(
        help_text=_("Published testimonies of this call.")
    )
    url = serializers.SerializerMethodField(help_text=_("The call's public page."))
    api_url = serializers.SerializerMethodField()
    testimonies_url = serializers.SerializerMethodField(
        help_text=_("Its published testimonies in this API.")
    )
    open_data_url = serializers.SerializerMethodField(
        help_text=_("The page of its open-data files (CSV, XLSX, JSON).")
    )

    def _absolute(self, path: str) -> str:
        return self.context["request"].build_absolute_uri(path)

    def get_phase(self, consultation) -> str:
        return ConsultationPhase(consultation.phase()).value

    def get_published_count(self, consultation) -> int:
        return self.context.get("published_counts", {}).get(consultation.pk, 0)

    def get_url(self, consultation) -> str:
        return self.context["web_url"]("explore:consultation", consultation.slug)

    def get_api_url(self, consultation) -> str:
        return self._absolute(reverse("api:consultation", args=[consultation.slug]))

    def get_testimonies_url(self, consultation) -> str:
        return self._absolute(reverse("api:testimonies", args=[consultation.slug]))

    def get_open_data_url(self, consultation) -> str:
        return self.context["web_url"]("opendata:consultation", consultation.slug)


class ConsultationDetailSerializer(ConsultationSerializer):
    description = serializers.CharField(
        allow_blank=True, help_text=_("Markdown, as the organisers wrote it.")
    )
    audience = AudienceSerializer(source="audience_rule", allow_null=True, default=None)
    deadline_extensions = DeadlineExtensionSerializer(many=True, source="deadline_extensions.all")
    territories_count = serializers.SerializerMethodField(
        help_text=_("Local authorities with at least one published testimony.")
    )
    themes = ThemeSerializer(many=True, source="themes.all")

    def get_territories_count(self, consultation) -> int:
        return self.context.get("territories_count", 0)


# --- Territories ---------------------------------------------------------------------------


class TerritorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TerritoryKind.choices)
    code = serializers.CharField(
        help_text=_("INSEE code of a commune, département or région; SIREN of an EPCI.")
    )
    name = serializers.CharField()
    legal_form = serializers.CharField(
        allow_blank=True, help_text=_("For an intercommunality: CC, CA, CU or ME.")
    )
    population = serializers.IntegerField(allow_null=True)
    population_band = serializers.SerializerMethodField()
    departement = PlaceSerializer(allow_null=True)
    region = PlaceSerializer(allow_null=True)
    epci_id = serializers.IntegerField(
        allow_null=True, help_text=_("The intercommunality of a commune.")
    )
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)

    def get_population_band(self, territory) -> str | None:
        band = territory.population_band
        return band.value if band else None
