"""The legal notice and personal data page, with a default French text the organisers complete
(publisher, host) and correct where their practice differs. It describes what Retex itself
keeps and does; the link durations are those configured when the migration runs."""

from django.conf import settings
from django.db import migrations

SLUG = "mentions-legales"
TITLE = "Mentions légales et données personnelles"

BODY = """\
## Éditeur du site

**À compléter par les organisateurs :** nom de l'organisme qui publie ce site, adresse,
téléphone, adresse électronique de contact, et nom du directeur ou de la directrice de la
publication.

## Hébergement

**À compléter par les organisateurs :** nom, adresse et téléphone de l'hébergeur.

## Logiciel

Ce site utilise Retex, un logiciel libre publié sous licence AGPL-3.0 ou ultérieure. Tous ses
fichiers (styles, polices, scripts) sont servis par ce site lui-même : aucune ressource n'est
chargée depuis un autre site, aucun outil de mesure d'audience ni aucune publicité n'est
utilisé.

## Données personnelles

### Ce qui est publié

Un témoignage est publié après relecture par les organisateurs : son titre, ses textes, ses
thèmes, les outils, les partenaires, les dates, les liens, les fichiers joints et le nom de la
collectivité (ou seulement sa tranche de population et sa région si l'auteur a demandé
l'anonymat). Les modérateurs peuvent garder certaines de ces rubriques privées.

### Ce qui reste privé

Pour chaque témoignage, Retex conserve le **nom**, la **fonction** (élu, agent ou autre) et
l'**adresse électronique** de la personne qui l'a écrit, ainsi que le nom indiqué par chaque
personne qui le modifie avec le lien reçu par courriel. Ces informations ne sont **jamais
publiées** : seuls les organisateurs et les modérateurs de l'appel concerné les voient.

Elles servent à :

- vérifier que l'adresse électronique est valide (un lien de confirmation est envoyé ; un
  témoignage non confirmé dans les %(confirmation_days)s jours expire et n'est jamais publié) ;
- envoyer à l'auteur le lien qui permet de modifier ou de retirer son témoignage (valable
  %(edit_days)s jours) ;
- l'informer des décisions de modération (publication, demande de modification, refus) ;
- le contacter si une question se pose sur son témoignage.

### Durée de conservation

Les organisateurs conservent ces données jusqu'à un an après la publication des résultats de
l'appel, puis les suppriment.

**À vérifier par les organisateurs :** cette durée est celle annoncée dans le formulaire ;
Retex ne supprime pas ces données de lui-même, c'est aux organisateurs de le faire.

### Autres données techniques

- **Cookies :** un cookie de sécurité des formulaires (`csrftoken`), un cookie de langue si
  vous changez de langue (`django_language`) et, pour les organisateurs et modérateurs
  seulement, un cookie de session une fois connectés. Aucun cookie de mesure d'audience ni de
  publicité : aucun consentement n'est donc demandé.
- **Brouillon du formulaire :** pendant que vous écrivez un témoignage, votre navigateur en
  garde un brouillon sur votre appareil (stockage local). Il n'est envoyé à personne tant que
  vous n'avez pas envoyé le formulaire, et il est effacé une fois le témoignage envoyé.
- **Protection contre les abus :** le nombre d'envois par adresse IP et par adresse
  électronique est compté pendant une heure ou une journée, sous une forme chiffrée
  (empreinte) qui ne permet pas de les retrouver.
- **Journal des actions :** les actions des organisateurs et des modérateurs (publication,
  refus, modification…) sont enregistrées avec le nom de leur compte.
- **Journaux du serveur :** **à compléter par les organisateurs** selon l'hébergement
  (adresses IP des visiteurs, durée de conservation).

### Vos droits

Conformément au Règlement général sur la protection des données (RGPD) et à la loi
Informatique et libertés, vous pouvez accéder aux données qui vous concernent, les faire
rectifier ou effacer, en limiter l'usage ou vous y opposer. Pour cela, écrivez aux organisateurs
de l'appel concerné : leur adresse est indiquée sur le formulaire de témoignage et dans la
déclaration d'accessibilité. Vous pouvez aussi modifier ou retirer votre témoignage vous-même
avec le lien reçu par courriel.

Si vous estimez, après les avoir contactés, que vos droits ne sont pas respectés, vous pouvez
adresser une réclamation à la CNIL : <https://www.cnil.fr>.

**À compléter par les organisateurs :** le responsable du traitement, la base légale (par
exemple une mission d'intérêt public) et, s'il y en a un, le contact du délégué à la protection
des données.
"""


def create(apps, schema_editor):
    SitePage = apps.get_model("pages", "SitePage")
    body = BODY % {
        "confirmation_days": settings.RETEX_CONFIRMATION_LINK_DAYS,
        "edit_days": settings.RETEX_EDIT_LINK_DAYS,
    }
    SitePage.objects.get_or_create(slug=SLUG, defaults={"title": TITLE, "body": body})


def remove(apps, schema_editor):
    apps.get_model("pages", "SitePage").objects.filter(slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
