"""The demo consultation and its hand-written testimonies.

The consultation reproduces the facts of the real 2020–2021 call for testimonies by Villes de
France and Villes Internet (organisers, dates, audience, themes). All texts here were written
for Retex: the three initiatives the original cites (Beauvais, Chevreuse, Arras) are retold in
our own words; the others are fictional but plausible. Every person is fictional, and every
e-mail address uses a reserved `.example` domain.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from retex.consultations.enums import AudienceEnforcement, EpciPopulationBasis
from retex.consultations.services import ThemeSpec
from retex.contributions.enums import AuthorRole, TestimonyStatus
from retex.demo.composer import TopicRef
from retex.territories.enums import TerritoryKind

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


# ---------------------------------------------------------------------------------------------
# The consultation
# ---------------------------------------------------------------------------------------------

SLUG = "gestion-de-crise-et-numerique"
TITLE = "Gestion de crise et numérique : vos initiatives et vos difficultés"
ORGANISERS = "Villes de France et Villes Internet"
CONTACT_EMAIL = "temoignages@villes-moyennes.example"
OPENS_AT = paris(2020, 11, 26, 9, 0)
# Deadlines run to the end of the day, Paris time.
FIRST_CLOSES_AT = paris(2021, 1, 20, 23, 59, 59)
CLOSES_AT = paris(2021, 3, 20, 23, 59, 59)
EXTENDED_ON = paris(2021, 1, 14, 11, 30)
EXTENSION_REASON = (
    "De nombreuses collectivités nous ont dit manquer de temps pour témoigner, entre la deuxième"
    " vague, le couvre-feu et la préparation de la vaccination. Pour que chacune puisse partager"
    " son expérience, la date limite est reportée au 20 mars 2021."
)
RESULTS_EXPECTED_ON = date(2021, 6, 1)

SUMMARY = (
    "Villes de France et Villes Internet invitent les villes moyennes et leurs"
    " intercommunalités à raconter ce qu'elles ont fait avec le numérique pendant la crise du"
    " Covid-19 : les solutions trouvées, les difficultés rencontrées et les leçons à partager"
    " avec les autres collectivités."
)

DESCRIPTION = """\
La crise sanitaire a placé le numérique au centre de la vie locale : pour continuer à \
travailler, pour faire classe, pour garder le lien avec les habitants isolés, pour informer et \
pour soutenir les commerces. Elle a aussi montré, parfois brutalement, les inégalités d'accès et \
les fragilités de nos organisations.

Cet appel à témoignages s'adresse aux **communes de 10 000 à 100 000 habitants et à leurs \
intercommunalités**. Élus et agents, racontez-nous :

- **ce que vous avez mis en place** : le service, l'outil ou l'organisation, avec qui et pour \
qui ;
- **ce qui a coincé** : les obstacles techniques, humains, juridiques ou budgétaires ;
- **ce que vous en retenez** : ce que vous referiez, et ce que vous feriez autrement.

Trois thèmes organisent les témoignages :

1. **L'organisation du service public territorial** : cybersécurité, continuité du service, \
télétravail des agents, place des corps intermédiaires…
2. **Le soutien à l'économie locale** : circuits courts, production et distribution locales, \
livraison à domicile, mobilisation des entreprises…
3. **La cohésion sociale** : accès aux droits, inclusion numérique, associations, numérique \
éducatif, santé publique…

Une initiative qui n'entre dans aucun sous-thème a toute sa place : choisissez le thème le plus \
proche.

Les témoignages publiés sont consultables par tous. Votre nom et votre adresse électronique ne \
sont jamais publiés : ils servent seulement à vous recontacter. Les résultats de l'enquête \
seront présentés en juin 2021.
"""

THEMES = [
    ThemeSpec(
        title="Organisation du service public territorial",
        description="Comment les services ont continué à fonctionner : sécurité informatique,"
        " accueil du public, travail à distance, dialogue avec les partenaires du territoire.",
        subtopics=[
            "Cybersécurité",
            "Continuité du service public",
            "Télétravail des agents",
            "Mobilisation des corps intermédiaires",
        ],
    ),
    ThemeSpec(
        title="Soutien à l'économie locale",
        description="Ce que les collectivités ont fait pour les producteurs, les commerçants et"
        " les entreprises de leur territoire.",
        subtopics=[
            "Circuits courts",
            "Production et distribution locales",
            "Livraison à domicile",
            "Mobilisation des entreprises locales",
        ],
    ),
    ThemeSpec(
        title="Cohésion sociale",
        description="Garder le lien et l'accès aux droits pour tous, en particulier pour les"
        " habitants les plus fragiles.",
        subtopics=[
            "Accès aux droits et aide sociale",
            "Inclusion numérique",
            "Mobilisation des associations",
            "Numérique éducatif",
            "Santé publique",
        ],
    ),
]

AUDIENCE_KINDS = [TerritoryKind.COMMUNE, TerritoryKind.EPCI]
POPULATION_MIN = 10_000
POPULATION_MAX = 100_000
EPCI_POPULATION_BASIS = EpciPopulationBasis.MEMBER_COMMUNES
ENFORCEMENT = AudienceEnforcement.ADVISORY

# The original call gathered 97 published testimonies.
PUBLISHED_COUNT = 97


# ---------------------------------------------------------------------------------------------
# Hand-written testimonies
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowcaseTestimony:
    territory_kind: str
    territory_code: str
    title: str
    topics: tuple[TopicRef, ...]
    initiative: str
    difficulties: str
    lessons: str
    tools: tuple[str, ...]
    partners: str
    cost_and_team: str
    started_on: date | None
    ended_on: date | None
    author_name: str
    author_role: str
    author_email: str
    submitted_at: datetime
    published_at: datetime | None
    status: str = TestimonyStatus.PUBLISHED


def _topic(theme: int, subtopic: int | None) -> TopicRef:
    """Theme and sub-topic by their 1-based position, as the consultation page shows them."""
    return TopicRef(theme - 1, None if subtopic is None else subtopic - 1)


SHOWCASE: tuple[ShowcaseTestimony, ...] = (
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="60057",
        title="Le marché du samedi en commande en ligne, retrait place des Halles",
        topics=(_topic(2, 1), _topic(2, 2)),
        initiative="""\
Le 23 mars 2020, la ville a dû fermer ses marchés de plein vent : les consignes sanitaires \
n'étaient pas toujours respectées dans les allées, et le risque devenait trop grand. Mais fermer \
le marché, c'était aussi priver les maraîchers, les bouchers et les fromagers d'une bonne partie \
de leurs ventes, et les Beauvaisiens de produits frais et locaux auxquels ils tiennent.

En une dizaine de jours, nous avons monté avec les commerçants alimentaires du marché un service \
de commande en ligne. Chaque commerçant a sa page et ses produits ; les clients commandent \
jusqu'au jeudi soir. Le samedi matin, ils viennent chercher leurs sacs place des Halles, là où se \
tient habituellement le marché, sur un créneau choisi à l'avance.

Les agents du service commerce ont aidé chaque commerçant à remplir sa fiche et à photographier \
ses produits, souvent par téléphone. Le placier, qui connaît tout le monde, a été notre meilleur \
relais pour convaincre les hésitants. Au plus fort du confinement, une vingtaine de commerçants \
participaient et plusieurs centaines de commandes étaient retirées chaque samedi.""",
        difficulties="""\
Tous les commerçants n'avaient pas d'ordinateur, et certains n'avaient jamais vendu en ligne. Il \
a fallu accepter que quelques-uns prennent les commandes par téléphone et nous les transmettent.

Les premiers samedis, les retraits se sont embouteillés entre 10 h et 11 h : nous avons élargi \
les créneaux et ouvert une deuxième file.

À la réouverture du marché, les volumes en ligne ont nettement baissé : le service doit trouver \
sa place à côté du marché, pas à sa place.""",
        lessons="""\
Garder le lieu habituel du marché a beaucoup compté : les clients savaient où aller, et les \
commerçants se sentaient chez eux.

Il faut partir des commerçants et de leur façon de travailler, pas de l'outil. Un outil simple, \
utilisable depuis un téléphone, suffit.

Associez le placier et les représentants des commerçants non sédentaires dès le premier jour.""",
        tools=("click-and-collect", "paiement-en-ligne", "reseaux-sociaux", "site-internet"),
        partners="Les commerçants alimentaires du marché, le placier",
        cost_and_team="Deux agents du service commerce pendant six semaines ; outil de commande"
        " en ligne : environ 4 000 €",
        started_on=date(2020, 4, 4),
        ended_on=date(2020, 5, 16),
        author_name="Sandrine Lemaire",
        author_role=AuthorRole.AGENT,
        author_email="s.lemaire@ville-beauvais.example",
        submitted_at=paris(2020, 11, 30, 10, 42),
        published_at=paris(2020, 12, 3, 15, 10),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="78160",
        title="Une marketplace pour rassembler les commerces et services de la commune",
        topics=(_topic(2, 4), _topic(2, 3)),
        initiative="""\
Avec le confinement, nos commerces du centre se sont retrouvés fermés ou presque invisibles, au \
moment même où les habitants cherchaient à acheter près de chez eux. Beaucoup de commerçants \
n'avaient pas de site, et aucun n'avait les moyens d'en créer un en quelques jours.

La commune a donc ouvert une marketplace qui regroupe sur un même portail les commerces et les \
services de Chevreuse : alimentation, plats à emporter, fleuriste, librairie, mais aussi artisans \
et professions de services. Chaque professionnel dispose d'une vitrine avec ses produits, ses \
horaires et ses modes de vente : retrait en boutique, livraison ou simple prise de contact.

L'objectif est de donner à nos commerces une meilleure visibilité auprès des Chevrotins, mais \
aussi des habitants des communes voisines et des promeneurs de la vallée. La commune prend en \
charge l'abonnement et l'animation ; les commerçants restent libres de leurs prix.""",
        difficulties="""\
Convaincre les commerçants de prendre le temps de remplir leur vitrine, en pleine crise, n'a pas \
été simple : il a fallu passer dans chaque boutique.

Avec moins de 6 000 habitants, nous n'avons pas de service dédié au commerce : une élue et une \
agente de l'accueil ont porté le projet, en plus de leurs missions.

La fréquentation du portail suit de près les confinements et retombe dès que les boutiques \
rouvrent.""",
        lessons="""\
Un portail commun a plus de chances d'être visité que des dizaines de petites pages isolées.

Des photos et des horaires à jour font toute la différence : une vitrine vide fait fuir les \
visiteurs.

Pour une petite commune, s'appuyer sur une solution existante plutôt que développer son propre \
outil est la seule option réaliste.""",
        tools=("marketplace-locale", "click-and-collect", "paiement-en-ligne"),
        partners="Les commerçants et artisans de la commune",
        cost_and_team="Une élue et une agente à temps partiel ; abonnement annuel pris en charge"
        " par la commune",
        started_on=date(2020, 11, 9),
        ended_on=None,
        author_name="Hélène Marchand",
        author_role=AuthorRole.ELECTED_OFFICIAL,
        author_email="h.marchand@ville-chevreuse.example",
        submitted_at=paris(2020, 12, 4, 16, 20),
        published_at=paris(2020, 12, 8, 9, 45),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="62041",
        title="Un équipement pour chaque élève qui en manquait, et un parcours numérique pour"
        " les familles",
        topics=(_topic(3, 4), _topic(3, 2)),
        initiative="""\
Pendant le premier confinement, la cellule de continuité pédagogique, qui réunit la ville, les \
écoles et l'éducation nationale, a recensé les élèves qui ne pouvaient pas suivre l'école à la \
maison faute d'équipement : pas d'ordinateur, un seul téléphone pour toute la famille, parfois \
pas de connexion.

La ville a acheté du matériel numérique pour l'ensemble des élèves recensés, sans exception. Les \
appareils ont été préparés par le service informatique, avec les applications utiles à la \
classe, puis remis aux familles dans les écoles.

Nous ne voulions pas nous arrêter au prêt de matériel. La ville a construit un véritable parcours \
numérique pour accompagner les élèves et leurs parents : prise en main de l'appareil, création \
des comptes, usage de l'espace numérique de travail, mais aussi sécurité en ligne et bon usage \
des écrans. Des ateliers ont lieu dans les écoles et les centres sociaux, et un numéro \
d'assistance répond aux familles qui bloquent.""",
        difficulties="""\
Le recensement a pris du temps : certaines familles hésitaient à dire qu'elles n'étaient pas \
équipées, et les informations remontaient de façon inégale selon les écoles.

Au printemps 2020, les délais de livraison étaient très longs ; les premiers appareils ne sont \
arrivés qu'après plusieurs semaines.

Les parents eux-mêmes avaient souvent besoin d'être accompagnés, bien plus que nous ne l'avions \
prévu.""",
        lessons="""\
Le matériel seul ne suffit pas : c'est l'accompagnement des familles qui fait la différence dans \
la durée.

Un travail étroit avec l'éducation nationale est indispensable, ne serait-ce que pour savoir \
quels élèves décrochent.

Gardez à jour, d'une année sur l'autre, la liste des besoins d'équipement : à la prochaine crise, \
vous ne repartirez pas de zéro.""",
        tools=("ordinateurs-portables", "tablettes", "espace-numerique-de-travail", "cles-4g"),
        partners="L'éducation nationale (cellule de continuité pédagogique), les directeurs"
        " d'école, les centres sociaux",
        cost_and_team="Matériel et accompagnement portés par la direction de l'éducation et le"
        " service informatique",
        started_on=date(2020, 4, 6),
        ended_on=None,
        author_name="Olivier Gautier",
        author_role=AuthorRole.AGENT,
        author_email="o.gautier@ville-arras.example",
        submitted_at=paris(2020, 12, 7, 11, 5),
        published_at=paris(2020, 12, 10, 14, 30),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="29232",
        title="De trente à plus de quatre cents télétravailleurs en un mois",
        topics=(_topic(1, 3), _topic(1, 1)),
        initiative="""\
Début mars 2020, une trentaine d'agents télétravaillaient, dans le cadre d'une expérimentation \
lancée l'année précédente. Le 17 mars, il a fallu en équiper plus de quatre cents en quelques \
jours, en commençant par les finances, les ressources humaines et l'urbanisme.

Le service informatique a ouvert des accès VPN par vagues, prêté tous les portables disponibles \
et autorisé provisoirement l'accès à la messagerie depuis des ordinateurs personnels. En \
parallèle, nous avons commandé 180 portables supplémentaires, livrés au compte-gouttes jusqu'en \
juin.

Pour garder le lien, chaque service a instauré un point quotidien en visio. Les ressources \
humaines ont publié une lettre hebdomadaire puis lancé, en juillet, une enquête auprès de tous \
les agents : plus de 600 réponses, qui ont nourri la charte du télétravail adoptée en décembre \
2020.""",
        difficulties="""\
Le VPN n'était pas dimensionné pour autant de connexions : les premières semaines, mieux valait \
se connecter tôt le matin ou tard le soir.

Les agents de terrain, qui n'ont jamais cessé de travailler sur site, ont parfois mal vécu la \
différence de traitement.

Plusieurs encadrants se sont sentis démunis pour animer une équipe à distance, et quelques \
agents isolés ont décroché sans que personne ne s'en aperçoive.""",
        lessons="""\
Une expérimentation préalable, même modeste, nous a fait gagner un temps précieux.

La charte doit aussi parler des agents qui ne télétravaillent pas : horaires, reconnaissance, \
équipement.

Former les encadrants au management à distance aurait dû être la première mesure, pas la \
dernière.""",
        tools=("vpn", "ordinateurs-portables", "visioconference", "questionnaire-en-ligne"),
        partners="Les représentants du personnel, la médecine préventive",
        cost_and_team="Environ 160 000 € de matériel et de licences ; deux techniciens à plein"
        " temps pendant trois mois",
        started_on=date(2020, 3, 17),
        ended_on=None,
        author_name="Yannick Le Gall",
        author_role=AuthorRole.AGENT,
        author_email="y.le-gall@ville-quimper.example",
        submitted_at=paris(2021, 1, 12, 9, 50),
        published_at=paris(2021, 1, 15, 11, 20),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="82121",
        title="Un numéro unique, puis l'état civil sur rendez-vous",
        topics=(_topic(1, 2),),
        initiative="""\
Lorsque l'hôtel de ville a fermé ses portes au public, le 17 mars 2020, nous avons voulu \
qu'aucun habitant ne reste sans interlocuteur. Un numéro unique a été ouvert dès le 20 mars, du \
lundi au vendredi de 8 h 30 à 17 h 30. Huit agents d'accueil, équipés de portables et d'un \
standard accessible par internet, répondaient depuis chez eux.

Chaque demande était notée dans un tableau partagé et transmise au service concerné, avec un \
engagement de rappel sous 48 heures. Les urgences d'état civil, naissances et décès, étaient \
traitées sur rendez-vous, au rez-de-chaussée, avec un circuit séparé.

À la réouverture, nous avons gardé la prise de rendez-vous en ligne pour les cartes d'identité, \
les passeports et l'état civil. Les personnes sans internet réservent par téléphone.""",
        difficulties="""\
Les premiers jours, les renvois d'appels ont saturé et une partie des habitants tombait sur un \
répondeur. Il a fallu changer de solution en urgence.

Les demandes étaient très variées, de l'attestation de sortie à la détresse sociale : les agents \
d'accueil ont dû faire face à des situations pour lesquelles ils n'étaient pas formés.

Le rendez-vous obligatoire a d'abord été mal compris par une partie du public âgé.""",
        lessons="""\
Un numéro unique tenu par des agents formés vaut mieux qu'un site parfait : c'est le premier \
réflexe des habitants.

Il faut un outil de suivi des demandes, même très simple, dès le premier jour.

La prise de rendez-vous a tellement amélioré l'accueil que nous ne reviendrons pas en arrière.""",
        tools=(
            "standard-telephonique-dematerialise",
            "prise-de-rendez-vous-en-ligne",
            "suite-collaborative",
        ),
        partners="La préfecture, pour les titres d'identité",
        cost_and_team="Huit agents d'accueil redéployés ; environ 6 000 € pour le standard et"
        " l'outil de rendez-vous",
        started_on=date(2020, 3, 20),
        ended_on=None,
        author_name="Karine Boyer",
        author_role=AuthorRole.AGENT,
        author_email="karine.boyer@ville-montauban.example",
        submitted_at=paris(2020, 12, 15, 14, 5),
        published_at=paris(2020, 12, 17, 10, 15),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.EPCI,
        territory_code="200067932",
        title="Un responsable de la sécurité informatique partagé avec nos communes",
        topics=(_topic(1, 1),),
        initiative="""\
Le confinement a multiplié les accès à distance, et avec eux les tentatives d'hameçonnage : au \
printemps 2020, plusieurs communes membres ont reçu de fausses offres de masques ou de faux \
messages de leur direction. Aucune n'avait de compétence en sécurité informatique en interne.

L'agglomération a proposé aux communes volontaires de partager un responsable de la sécurité \
des systèmes d'information. Recruté en septembre 2020, il partage son temps entre \
l'agglomération et onze communes, selon une convention qui répartit le coût au prorata de la \
population.

Ses premières missions : un diagnostic rapide de chaque commune, une campagne de sensibilisation \
des agents et des élus avec de faux courriels piégés, et la généralisation des sauvegardes hors \
ligne. Un canal d'alerte commun permet à chaque secrétaire de mairie de signaler un message \
suspect en un clic.""",
        difficulties="""\
Les communes ont des systèmes très différents, souvent suivis par des prestataires différents : \
le diagnostic a pris plus longtemps que prévu.

Certains élus voyaient la sécurité comme une dépense sans bénéfice visible, jusqu'au premier \
incident chez un voisin.

Un seul responsable pour douze collectivités, c'est peu en cas d'incident grave : il faut \
prévoir des renforts.""",
        lessons="""\
La mutualisation est la seule façon réaliste, pour des communes petites et moyennes, d'accéder à \
ces compétences.

Commencez par les sauvegardes : ce sont elles qui sauvent quand tout le reste a échoué.

Les exercices d'hameçonnage marchent, à condition de ne jamais désigner publiquement les agents \
piégés.""",
        tools=(
            "sauvegarde-externalisee",
            "plateforme-e-learning",
            "protection-des-postes",
            "authentification-a-deux-facteurs",
        ),
        partners="Onze communes membres, le centre de gestion",
        cost_and_team="Un poste d'ingénieur partagé, financé par l'agglomération et les communes"
        " au prorata de la population",
        started_on=date(2020, 9, 1),
        ended_on=None,
        author_name="Erwan Kerbrat",
        author_role=AuthorRole.AGENT,
        author_email="e.kerbrat@agglo-golfe-morbihan-vannes.example",
        submitted_at=paris(2021, 2, 2, 16, 40),
        published_at=paris(2021, 2, 5, 10, 0),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="49099",
        title="Appeler chaque semaine les personnes isolées",
        topics=(_topic(3, 1),),
        initiative="""\
Dès la première semaine de confinement, le CCAS a repris la liste des personnes inscrites au \
registre canicule et l'a complétée avec les bénéficiaires du portage de repas et de l'aide à \
domicile, puis avec les signalements des voisins, des pharmaciens et des gardiens d'immeuble. La \
liste a presque doublé en quelques jours.

Une quinzaine d'agents, dont beaucoup venaient d'autres services (médiathèque, sports, \
animation), ont appelé chacune de ces personnes au moins une fois par semaine, avec une grille \
d'entretien simple : santé, courses, médicaments, moral, démarches en attente. Chaque besoin \
était noté dans le logiciel du CCAS et transmis le jour même au bon interlocuteur : portage de \
courses, infirmier, assistante sociale, association.

Les appels ont continué jusqu'à l'été, puis ont repris au deuxième confinement.""",
        difficulties="""\
Beaucoup de numéros étaient faux ou anciens, et il a fallu retrouver certaines personnes par les \
voisins ou le bailleur.

Certains appels étaient très lourds à porter pour des agents dont ce n'est pas le métier : \
détresse, deuils, idées noires.

Les personnes les plus isolées sont aussi celles qui ne sont inscrites nulle part.""",
        lessons="""\
Le registre doit vivre toute l'année : nous relançons désormais les inscriptions à chaque saison.

Les agents volontaires doivent être formés et pouvoir passer le relais à un professionnel à tout \
moment.

Un simple appel régulier a rassuré énormément de personnes, et plusieurs nous ont demandé de le \
poursuivre après la crise.""",
        tools=(
            "gestion-de-la-relation-usager",
            "standard-telephonique-dematerialise",
            "suite-collaborative",
        ),
        partners="Les bailleurs sociaux, les pharmaciens, les services d'aide à domicile",
        cost_and_team="Une quinzaine d'agents redéployés ; pas de dépense supplémentaire",
        started_on=date(2020, 3, 18),
        ended_on=date(2020, 7, 10),
        author_name="Anne Gaillard",
        author_role=AuthorRole.AGENT,
        author_email="anne.gaillard@ville-cholet.example",
        submitted_at=paris(2020, 12, 18, 10, 20),
        published_at=paris(2020, 12, 22, 9, 30),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="16015",
        title="Une plateforme de bénévolat pour canaliser les bonnes volontés",
        topics=(_topic(3, 3), _topic(2, 3)),
        initiative="""\
Au début du confinement, la ville a reçu des dizaines de propositions d'aide par courriel, par \
téléphone et sur les réseaux sociaux, pendant que les associations caritatives perdaient une \
partie de leurs bénévoles, souvent âgés. Nous avons voulu rapprocher les deux.

Une plateforme en ligne a été ouverte fin mars 2020 : les habitants s'y inscrivent en indiquant \
leurs disponibilités et leurs compétences, et les associations y publient leurs besoins. Un \
agent de la vie associative valide chaque inscription, appelle les nouveaux bénévoles et leur \
présente une charte : gestes barrières, confidentialité, aucune manipulation d'argent.

Les missions ont été très concrètes : courses pour des personnes âgées, préparation de colis à \
la banque alimentaire, appels de convivialité, couture de masques.""",
        difficulties="""\
Les inscriptions ont dépassé les besoins en quelques jours, et beaucoup de volontaires n'ont \
jamais reçu de mission, ce qui a déçu.

En mai, une grande partie des bénévoles a repris le travail, et les associations se sont de \
nouveau retrouvées en manque.

Il a fallu clarifier avec chaque association l'assurance des bénévoles.""",
        lessons="""\
Répondez à chaque inscrit, même pour dire qu'il n'y a pas de mission pour l'instant.

Une plateforme ne remplace pas les associations : elle doit les servir, pas les contourner.

Le fichier des volontaires est devenu une ressource précieuse, que nous avons sollicitée de \
nouveau pour le centre de vaccination.""",
        tools=("plateforme-de-benevolat", "formulaire-en-ligne", "reseaux-sociaux"),
        partners="La banque alimentaire, la Croix-Rouge française, le Secours populaire, les"
        " associations de quartier",
        cost_and_team="Un agent de la vie associative à mi-temps ; abonnement à la plateforme :"
        " environ 2 500 € par an",
        started_on=date(2020, 3, 27),
        ended_on=None,
        author_name="Mathieu Rivière",
        author_role=AuthorRole.AGENT,
        author_email="m.riviere@ville-angouleme.example",
        submitted_at=paris(2021, 1, 8, 15, 35),
        published_at=paris(2021, 1, 12, 11, 0),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="01053",
        title="Un centre de vaccination avec une ligne pour ceux qui n'ont pas internet",
        topics=(_topic(3, 5),),
        initiative="""\
Quand la vaccination s'est ouverte aux plus de 75 ans, en janvier 2021, la plupart de nos aînés \
n'arrivaient pas à obtenir de rendez-vous en ligne. Avec le centre hospitalier et les \
professionnels de santé libéraux, la ville a ouvert un centre de vaccination dans une salle \
municipale, et une ligne téléphonique tenue par des agents municipaux.

Les agents prennent le rendez-vous dans l'outil de réservation, au nom de la personne, et \
envoient une confirmation par SMS ou par courrier. Le CCAS a appelé les personnes âgées isolées \
qu'il connaissait pour leur proposer un créneau et, si besoin, un transport en minibus.

Le jour venu, des agents et des bénévoles accueillent les personnes, vérifient les papiers et les \
orientent vers les box de vaccination.""",
        difficulties="""\
Le nombre de doses était connu d'une semaine à l'autre, parfois la veille : nous avons dû annuler \
et reprogrammer des centaines de rendez-vous.

La ligne a été saturée dès son ouverture ; il a fallu passer de quatre à douze agents en trois \
jours.

Les agents ont dû faire face à la colère de personnes qui ne comprenaient pas pourquoi elles \
devaient attendre.""",
        lessons="""\
Le téléphone reste indispensable pour les plus âgés : la réservation en ligne seule aurait laissé \
de côté une bonne partie du public prioritaire.

Associer les médecins et les infirmiers libéraux dès le début évite les tensions et facilite le \
recrutement des vaccinateurs.

Dire clairement ce que l'on ne sait pas, comme les livraisons de doses, vaut mieux que des \
promesses.""",
        tools=(
            "prise-de-rendez-vous-en-ligne",
            "standard-telephonique-dematerialise",
            "sms-groupes",
        ),
        partners="Le centre hospitalier, l'agence régionale de santé, les médecins et infirmiers"
        " libéraux, le CCAS",
        cost_and_team="Jusqu'à douze agents au téléphone ; salle, matériel et minibus fournis par"
        " la ville",
        started_on=date(2021, 1, 18),
        ended_on=None,
        author_name="Laurence Perrin",
        author_role=AuthorRole.ELECTED_OFFICIAL,
        author_email="l.perrin@ville-bourg-en-bresse.example",
        submitted_at=paris(2021, 2, 24, 18, 10),
        published_at=paris(2021, 2, 26, 10, 30),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="88413",
        title="Des courses livrées par des agents volontaires aux habitants confinés",
        topics=(_topic(2, 3),),
        initiative="""\
Au printemps 2020, beaucoup de personnes âgées ou malades n'osaient plus sortir, et leurs \
proches, parfois loin, ne pouvaient pas les aider. La ville a organisé la livraison des courses \
et des médicaments, assurée par une vingtaine d'agents volontaires dont les services étaient à \
l'arrêt.

Les habitants appellent le CCAS ou remplissent un formulaire sur le site ; un agent centralise \
les demandes chaque matin et les répartit par quartier. Les livreurs font les courses dans les \
commerces du centre-ville, passent à la pharmacie, puis déposent les sacs devant la porte. Le \
paiement se fait par chèque à l'ordre du commerçant, pour éviter de manipuler de l'argent.

Au fil des semaines, les livreurs sont devenus des visages familiers : beaucoup de personnes \
attendaient leur passage pour échanger quelques mots.""",
        difficulties="""\
Organiser les tournées sur un tableur est vite devenu compliqué quand les demandes ont dépassé \
la cinquantaine par jour.

À la reprise, en mai, les agents volontaires ont retrouvé leur poste et il a fallu passer le \
relais à une association, avec une période de flottement.

Nous n'avions pas anticipé l'assurance des agents qui utilisaient leur véhicule personnel.""",
        lessons="""\
Le passage d'un livreur est aussi une visite : c'est une occasion de repérer des personnes en \
difficulté.

Prévoyez dès le départ qui prendra le relais à la fin de la crise.

Un outil de gestion des tournées, même simple, nous aurait fait gagner beaucoup de temps.""",
        tools=("formulaire-en-ligne", "standard-telephonique-dematerialise", "site-internet"),
        partners="Le CCAS, les commerçants du centre-ville, les pharmacies",
        cost_and_team="Une vingtaine d'agents volontaires ; véhicules de la ville",
        started_on=date(2020, 3, 23),
        ended_on=date(2020, 5, 15),
        author_name="Stéphane Meyer",
        author_role=AuthorRole.AGENT,
        author_email="stephane.meyer@ville-saint-die-des-vosges.example",
        submitted_at=paris(2020, 12, 21, 9, 15),
        published_at=paris(2020, 12, 23, 14, 0),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.EPCI,
        territory_code="200069961",
        title="Des médiateurs numériques itinérants dans nos villages",
        topics=(_topic(3, 2),),
        initiative="""\
Notre communauté de communes est largement rurale, avec de nombreux habitants âgés. Pendant les \
confinements, beaucoup se sont retrouvés bloqués devant des démarches devenues entièrement \
numériques : attestations, rendez-vous médicaux, dossiers de retraite ou d'aide.

Nous avons créé un service itinérant d'aide au numérique : deux médiateurs, équipés \
d'ordinateurs portables et de connexions 4G, tiennent des permanences dans les mairies, selon un \
planning publié chaque mois. Entre deux permanences, une ligne téléphonique permet d'être aidé à \
distance.

Les médiateurs ne font pas les démarches à la place des personnes : ils les accompagnent pour \
qu'elles gagnent en autonomie, sauf en cas d'urgence.""",
        difficulties="""\
Recruter des médiateurs numériques en milieu rural a pris plusieurs mois.

La couverture mobile est mauvaise dans certains villages, ce qui complique les permanences.

Les personnes qui en ont le plus besoin ne viennent pas d'elles-mêmes : il faut que la secrétaire \
de mairie, le médecin ou un voisin les orientent.""",
        lessons="""\
Les secrétaires de mairie sont les meilleures prescriptrices : elles connaissent tout le monde.

Venir au plus près des habitants compte davantage que la qualité de l'équipement.

Il faut assurer le financement des médiateurs au-delà de l'urgence, sinon tout s'arrête avec la \
crise.""",
        tools=("ordinateurs-portables", "cles-4g", "teleservices"),
        partners="Les mairies des communes membres, l'espace France services, le conseil"
        " départemental",
        cost_and_team="Deux médiateurs numériques ; véhicule et matériel : environ 25 000 €",
        started_on=date(2020, 11, 2),
        ended_on=None,
        author_name="Céline Giraud",
        author_role=AuthorRole.AGENT,
        author_email="c.giraud@cc-grand-chateaudun.example",
        submitted_at=paris(2021, 3, 5, 11, 30),
        published_at=paris(2021, 3, 9, 9, 40),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="30007",
        title="Les conseils de quartier, relais d'information pendant le confinement",
        topics=(_topic(1, 4),),
        initiative="""\
Nos conseils de quartier, composés d'habitants bénévoles, se réunissaient jusque-là en salle. Au \
premier confinement, plutôt que de suspendre ces instances, nous leur avons demandé de devenir \
des relais d'information et de vigilance dans leur quartier.

Chaque semaine, les conseillers recevaient par courriel et par SMS une note simple sur les \
consignes en vigueur, les services ouverts et les aides disponibles, à afficher dans les halls et \
à relayer auprès des voisins. En retour, ils signalaient à un agent référent les personnes \
isolées, les commerces en difficulté ou les problèmes de propreté.

À partir de mai 2020, les conseils ont repris leurs réunions en visioconférence, avec la \
possibilité de participer par téléphone.""",
        difficulties="""\
Les conseillers les plus âgés, souvent les plus actifs, étaient aussi les moins à l'aise avec la \
visio.

Certains signalements relevaient d'autres institutions, et les conseillers ont parfois eu le \
sentiment de ne pas être entendus.

La mobilisation est retombée à l'automne, avec la lassitude.""",
        lessons="""\
Les instances de démocratie locale sont un réseau de proximité précieux en temps de crise, à \
condition de leur confier un rôle concret.

Un agent référent, joignable, qui répond à chaque signalement, entretient la confiance.

Garder une participation par téléphone permet de ne perdre personne.""",
        tools=("sms-groupes", "lettre-d-information", "visioconference"),
        partners="Les conseils de quartier, les bailleurs sociaux",
        cost_and_team="Un agent référent à mi-temps",
        started_on=date(2020, 3, 25),
        ended_on=None,
        author_name="Bruno Faure",
        author_role=AuthorRole.ELECTED_OFFICIAL,
        author_email="bruno.faure@ville-ales.example",
        submitted_at=paris(2021, 1, 27, 17, 45),
        published_at=paris(2021, 2, 1, 10, 10),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="97422",
        title="Des messages de prévention en créole, par SMS et à la radio",
        topics=(_topic(3, 5),),
        initiative="""\
Chez nous, les consignes sanitaires nationales, écrites dans un français administratif, \
touchaient mal une partie de la population, notamment les personnes âgées des écarts et les \
familles les plus modestes. Dès avril 2020, nous avons traduit les principaux messages en créole \
et les avons diffusés sur tous les canaux.

Des SMS courts partent vers les habitants inscrits au service d'alerte de la commune, et des \
messages enregistrés passent sur les radios locales. Sur les réseaux sociaux, de courtes vidéos \
tournées avec des agents et des figures connues des quartiers expliquent les gestes barrières \
et, depuis janvier 2021, comment se faire vacciner.

Les agents du CCAS et les médiateurs de quartier relaient ces messages lors de leurs visites.""",
        difficulties="""\
Il a fallu adapter les messages presque chaque semaine, au rythme des annonces nationales.

Le fichier d'alerte par SMS était incomplet : beaucoup d'habitants n'y étaient pas inscrits.

Quelques messages ont été mal compris et il a fallu les reformuler.""",
        lessons="""\
Parler la langue des habitants, au sens propre comme au figuré, change la portée d'un message.

Les radios locales restent un média très efficace pour toucher les personnes âgées.

Faites relire les messages par des habitants avant de les diffuser : cela évite bien des \
malentendus.""",
        tools=("sms-groupes", "reseaux-sociaux", "site-internet"),
        partners="Les radios locales, l'agence régionale de santé, les médiateurs de quartier, le"
        " CCAS",
        cost_and_team="Le service communication et deux médiateurs ; envoi des SMS : environ"
        " 3 000 €",
        started_on=date(2020, 4, 6),
        ended_on=None,
        author_name="Nadia Hoarau",
        author_role=AuthorRole.AGENT,
        author_email="n.hoarau@ville-le-tampon.example",
        submitted_at=paris(2021, 3, 12, 8, 30),
        published_at=paris(2021, 3, 16, 10, 0),
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="2B033",
        title="Des chèques cadeaux abondés pour relancer le commerce de proximité",
        topics=(_topic(2, 4),),
        initiative="""\
Après le deuxième confinement, les commerçants du centre-ville abordaient les fêtes de fin \
d'année avec une trésorerie au plus bas. La ville a lancé, en décembre 2020, des chèques cadeaux \
numériques utilisables uniquement chez les commerçants indépendants de la commune.

Pour chaque chèque acheté, la ville ajoute 20 % de sa valeur, dans la limite d'une enveloppe \
votée en conseil municipal. Les chèques s'achètent en ligne et se dépensent en boutique, sur \
présentation d'un code sur le téléphone ou imprimé.

Les commerçants s'inscrivent gratuitement et sont remboursés chaque semaine. Le service commerce \
les a accompagnés un par un pour l'inscription.""",
        difficulties="""\
Une partie des commerçants, méfiants, a attendu de voir les premiers résultats pour s'inscrire.

L'enveloppe a été consommée plus vite que prévu, et il a fallu voter une rallonge en urgence.

Certains clients âgés n'arrivaient pas à utiliser le code sur leur téléphone : nous avons ajouté \
une version imprimée.""",
        lessons="""\
L'abondement de la ville crée un vrai effet d'entraînement : les achats dépassent largement \
l'aide publique.

Rembourser vite les commerçants est la condition de leur confiance.

Prévoyez dès le départ une version papier pour ceux qui n'utilisent pas de téléphone.""",
        tools=("cheques-cadeaux-numeriques", "paiement-en-ligne", "reseaux-sociaux"),
        partners="La chambre de commerce et d'industrie, les associations de commerçants",
        cost_and_team="Abondement de 20 % ; un agent du service commerce à plein temps pendant"
        " deux mois",
        started_on=date(2020, 12, 1),
        ended_on=date(2021, 2, 28),
        author_name="Pierre Santoni",
        author_role=AuthorRole.AGENT,
        author_email="p.santoni@ville-bastia.example",
        submitted_at=paris(2021, 3, 18, 12, 5),
        published_at=paris(2021, 3, 19, 16, 20),
    ),
    # Two that moderation turned down: a sales pitch and a complaint, as every call receives.
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="28134",
        title="Solution clé en main de vente en ligne pour vos marchés",
        topics=(_topic(2, 1),),
        initiative="""\
Vous cherchez une solution pour permettre à vos producteurs de vendre en ligne ? Notre \
plateforme, déjà adoptée par de nombreuses collectivités, se déploie en 48 heures, sans \
compétence technique. Paiement intégré, gestion des créneaux de retrait, statistiques en temps \
réel : tout est inclus dans un abonnement mensuel à partir de 149 € HT.""",
        difficulties="",
        lessons="Demandez votre démonstration gratuite avant le 31 janvier et bénéficiez de trois"
        " mois offerts.",
        tools=("marketplace-locale",),
        partners="",
        cost_and_team="",
        started_on=None,
        ended_on=None,
        author_name="Julien Robin",
        author_role=AuthorRole.OTHER,
        author_email="j.robin@example.org",
        submitted_at=paris(2021, 1, 19, 9, 12),
        published_at=None,
        status=TestimonyStatus.REJECTED,
    ),
    ShowcaseTestimony(
        territory_kind=TerritoryKind.COMMUNE,
        territory_code="53130",
        title="Mairie fermée, personne ne répond",
        topics=(_topic(1, 2),),
        initiative="""\
Pendant le confinement, il était impossible de joindre la mairie pour ma demande de permis de \
construire. J'ai appelé plusieurs fois sans réponse, et mon dossier a pris trois mois de retard. \
Ce n'est pas normal pour un service public.""",
        difficulties="",
        lessons="",
        tools=(),
        partners="",
        cost_and_team="",
        started_on=None,
        ended_on=None,
        author_name="Alain Marchand",
        author_role=AuthorRole.OTHER,
        author_email="alain.marchand@example.org",
        submitted_at=paris(2021, 2, 15, 20, 48),
        published_at=None,
        status=TestimonyStatus.REJECTED,
    ),
)

# Awaiting moderation or back with the author when the demo starts: generated, not hand-written.
GENERATED_OTHER_STATES: tuple[str, ...] = (
    TestimonyStatus.SUBMITTED,
    TestimonyStatus.SUBMITTED,
    TestimonyStatus.SUBMITTED,
    TestimonyStatus.SUBMITTED,
    TestimonyStatus.SUBMITTED,
    TestimonyStatus.CHANGES_REQUESTED,
)


# ---------------------------------------------------------------------------------------------
# An open consultation, so that the demo's visitors can try the testimony form
# ---------------------------------------------------------------------------------------------

PRACTICE_SLUG = "demonstration-canicules-et-numerique"
PRACTICE_TITLE = "Canicules : ce que le numérique change pour vos services (démonstration)"
PRACTICE_ORGANISERS = "Retex (consultation de démonstration)"
PRACTICE_OPEN_DAYS = 90
PRACTICE_SUMMARY = (
    "Une consultation fictive, ouverte en permanence dans la démonstration : essayez le"
    " formulaire de témoignage, du choix de votre collectivité jusqu'au lien de modification"
    " reçu par e-mail (visible dans la boîte d'envoi locale)."
)
PRACTICE_DESCRIPTION = """\
Cette consultation n'existe que dans la démonstration de Retex. Elle permet de suivre le \
parcours complet d'un agent ou d'un élu : **témoigner sans compte**, confirmer son adresse, \
puis compléter son témoignage avec le lien reçu.

Les e-mails ne partent pas réellement : ils sont conservés dans la **boîte d'envoi locale**, \
accessible depuis le pied de page.
"""
PRACTICE_THEMES = [
    ThemeSpec(
        title="Protéger les personnes fragiles",
        subtopics=[
            "Registre des personnes vulnérables",
            "Alertes par SMS et appels",
            "Lieux rafraîchis",
        ],
    ),
    ThemeSpec(
        title="Adapter les services publics",
        subtopics=[
            "Horaires et travail des agents",
            "Écoles et crèches",
            "Information des habitants",
        ],
    ),
]
PRACTICE_EXTENSION_REASON = (
    "Démonstration : la consultation d'essai est prolongée pour rester ouverte."
)
