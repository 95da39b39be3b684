"""Phrase banks for generated testimonies: what French local agents would write about the crisis.

Every sentence here was written for Retex. Placeholders in braces are filled per testimony by
`retex.demo.composer`: the collectivity's words ({collectivite}, {conseil}, {siege}…), figures
scaled to its population ({agents}, {commercants}, {budget}…) and the tools attached to the
testimony ({outils}). A placeholder starting with a capital letter is the same word, capitalised,
for the start of a sentence.

The banks follow the demo consultation's themes and sub-topics, in order; each theme also has an
"other" bank for testimonies that fit the theme but none of its listed sub-topics.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Initiative:
    """One thing a collectivity did, told in sentences that belong together."""

    title: str
    # What was done: opens the testimony's initiative text.
    action: str
    # How it worked in practice.
    details: tuple[str, ...]
    # Figures and outcomes.
    results: tuple[str, ...] = ()
    # When it can have started, if not during the first lockdown like most.
    starts: tuple[date, date] | None = None
    # What went wrong and what was learnt, about this initiative in particular.
    difficulties: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    # Slugs of the tools (see TOOLS) this initiative relies on.
    tools: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bank:
    """Everything a sub-topic's testimonies may say."""

    initiatives: tuple[Initiative, ...]
    # Details that fit any initiative of the sub-topic.
    details: tuple[str, ...]
    difficulties: tuple[str, ...]
    lessons: tuple[str, ...]
    # Tools testimonies of this sub-topic often name, besides their initiatives' own.
    tools: tuple[str, ...]
    partners: tuple[str, ...]


@dataclass(frozen=True)
class ThemeCorpus:
    subtopics: tuple[Bank, ...]
    other: Bank


@dataclass(frozen=True)
class ToolSpec:
    name: str
    slug: str
    # How a testimony names it inside a sentence.
    phrase: str


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("Visioconférence", "visioconference", "un outil de visioconférence"),
    ToolSpec("Click & collect", "click-and-collect", "un service de click & collect"),
    ToolSpec("Marketplace locale", "marketplace-locale", "une marketplace locale"),
    ToolSpec("Téléservices", "teleservices", "des téléservices sur notre site"),
    ToolSpec("Réseaux sociaux", "reseaux-sociaux", "nos pages sur les réseaux sociaux"),
    ToolSpec("VPN", "vpn", "un VPN pour les postes nomades"),
    ToolSpec(
        "Plateforme de e-learning", "plateforme-e-learning", "une plateforme de formation en ligne"
    ),
    ToolSpec(
        "Prise de rendez-vous en ligne",
        "prise-de-rendez-vous-en-ligne",
        "un module de prise de rendez-vous en ligne",
    ),
    ToolSpec("Messagerie instantanée", "messagerie-instantanee", "une messagerie instantanée"),
    ToolSpec(
        "Standard téléphonique dématérialisé",
        "standard-telephonique-dematerialise",
        "un standard téléphonique dématérialisé",
    ),
    ToolSpec(
        "Plateforme de bénévolat",
        "plateforme-de-benevolat",
        "une plateforme de mise en relation des bénévoles",
    ),
    ToolSpec("Formulaire en ligne", "formulaire-en-ligne", "des formulaires en ligne"),
    ToolSpec("SMS groupés", "sms-groupes", "l'envoi de SMS groupés"),
    ToolSpec(
        "Lettre d'information", "lettre-d-information", "une lettre d'information électronique"
    ),
    ToolSpec("Carte interactive", "carte-interactive", "une carte interactive"),
    ToolSpec(
        "Espace numérique de travail",
        "espace-numerique-de-travail",
        "l'espace numérique de travail des écoles",
    ),
    ToolSpec("Ordinateurs portables", "ordinateurs-portables", "des ordinateurs portables"),
    ToolSpec("Tablettes", "tablettes", "des tablettes"),
    ToolSpec("Suite collaborative", "suite-collaborative", "une suite collaborative en ligne"),
    ToolSpec("Signature électronique", "signature-electronique", "la signature électronique"),
    ToolSpec("Paiement en ligne", "paiement-en-ligne", "le paiement en ligne"),
    ToolSpec("Site internet", "site-internet", "notre site internet"),
    ToolSpec("Sauvegarde externalisée", "sauvegarde-externalisee", "une sauvegarde externalisée"),
    ToolSpec(
        "Protection des postes", "protection-des-postes", "un antivirus géré de façon centrale"
    ),
    ToolSpec(
        "Authentification à deux facteurs",
        "authentification-a-deux-facteurs",
        "l'authentification à deux facteurs",
    ),
    ToolSpec(
        "Gestion de la relation usager",
        "gestion-de-la-relation-usager",
        "un logiciel de gestion de la relation usager",
    ),
    ToolSpec("Questionnaire en ligne", "questionnaire-en-ligne", "un questionnaire en ligne"),
    ToolSpec("Diffusion en direct", "diffusion-en-direct", "la diffusion en direct des séances"),
    ToolSpec("Données ouvertes", "donnees-ouvertes", "des données ouvertes"),
    ToolSpec(
        "Gestion des tournées",
        "gestion-des-tournees",
        "un logiciel de gestion des tournées de livraison",
    ),
    ToolSpec(
        "Chèques cadeaux numériques",
        "cheques-cadeaux-numeriques",
        "des chèques cadeaux numériques",
    ),
    ToolSpec("Téléconsultation", "teleconsultation", "une cabine de téléconsultation"),
    ToolSpec("Clés 4G", "cles-4g", "des clés 4G"),
)


# ---------------------------------------------------------------------------------------------
# Theme 1: organisation of the territorial public service
# ---------------------------------------------------------------------------------------------

CYBERSECURITY = Bank(
    initiatives=(
        Initiative(
            title="Sécuriser les accès à distance en pleine crise",
            action="Dès la mi-mars 2020, le service informatique a dû ouvrir en quelques jours des"
            " accès à distance pour {agents_tt} agents, alors que moins de {n_small_txt} postes"
            " étaient équipés d'un VPN.",
            details=(
                "Les connexions ont été ouvertes par vagues, en commençant par les services"
                " indispensables : paie, état civil, finances.",
                "Chaque nouvel accès était validé par le responsable du service, puis configuré"
                " par un technicien lors d'un rendez-vous de vingt minutes.",
                "Les accès passent par un VPN avec certificat, et les sessions se coupent"
                " d'elles-mêmes après trente minutes d'inactivité.",
            ),
            results=(
                "En {semaines} semaines, {agents_tt} agents travaillaient à distance sans"
                " incident de sécurité notable.",
            ),
            tools=("vpn", "ordinateurs-portables", "authentification-a-deux-facteurs"),
            difficulties=(
                "Le nombre de licences VPN était limité : il a fallu en racheter en urgence, au"
                " prix fort.",
            ),
            lessons=(
                "Ouvrir les accès par vagues, service par service, permet à l'équipe"
                " informatique de suivre.",
            ),
        ),
        Initiative(
            title="Une campagne anti-hameçonnage auprès de tous les agents",
            action="Face aux courriels frauduleux qui se réclamaient du ministère de la santé ou"
            " de prétendus fournisseurs de masques, nous avons lancé une campagne de"
            " sensibilisation à l'hameçonnage auprès de l'ensemble des agents.",
            details=(
                "Chaque agent a reçu un guide illustré de quatre pages et a suivi un module en"
                " ligne de vingt minutes, complété par de faux courriels piégés envoyés par le"
                " service informatique.",
                "Le premier exercice simulé a piégé près de {pct_low} des destinataires, ce qui a"
                " convaincu les plus sceptiques.",
                "Un bouton « signaler » a été ajouté à la messagerie pour transmettre d'un clic un"
                " message suspect au service informatique.",
            ),
            results=(
                "Le taux de clic sur les courriels piégés est passé de {pct_low} à moins de 5 %"
                " en six mois.",
                "Les signalements de messages suspects ont triplé, ce qui nous permet de bloquer"
                " les campagnes plus tôt.",
            ),
            tools=("plateforme-e-learning", "protection-des-postes"),
            difficulties=(
                "Quelques agents piégés lors de l'exercice se sont sentis humiliés, et il a"
                " fallu les rassurer.",
            ),
            lessons=("Ne jamais afficher de noms : on mesure un taux, on ne désigne personne.",),
        ),
        Initiative(
            title="La double authentification pour la messagerie des agents",
            action="Nous avons généralisé l'authentification à deux facteurs pour la messagerie"
            " et pour les applications métiers accessibles depuis l'extérieur.",
            details=(
                "Les agents valident leur connexion avec une application sur leur téléphone"
                " professionnel, ou par SMS pour ceux qui n'en ont pas.",
                "Le déploiement s'est fait service par service, avec une permanence d'assistance"
                " le premier jour.",
                "Les élus ont eux aussi reçu des tablettes gérées à distance, pour que les"
                " documents de séance ne circulent plus sur des adresses personnelles.",
            ),
            results=(
                "Depuis, deux tentatives de connexion avec des mots de passe volés ont été"
                " bloquées sans conséquence.",
            ),
            tools=("authentification-a-deux-facteurs", "tablettes", "messagerie-instantanee"),
            difficulties=(
                "Les agents sans téléphone professionnel refusaient d'installer l'application"
                " sur leur téléphone personnel.",
            ),
            lessons=(
                "Prévoyez une solution pour ceux qui n'ont pas de smartphone, comme une clé"
                " physique ou un code par SMS.",
            ),
        ),
        Initiative(
            title="Sauvegardes hors ligne : le chantier que la crise a accéléré",
            action="La crise nous a poussés à revoir toute notre politique de sauvegarde : une"
            " copie chaque nuit, dont une hors ligne, conservée ailleurs qu'à {siege}.",
            details=(
                "Les sauvegardes sont vérifiées chaque mois par une restauration de test, ce que"
                " nous ne faisions jamais auparavant.",
                "Un inventaire complet du parc a été fait : {postes} postes portables, des"
                " serveurs vieillissants et plusieurs logiciels qui n'étaient plus mis à jour.",
            ),
            results=(
                "Le coût total, {budget}, reste modeste au regard de ce qu'aurait coûté une"
                " paralysie des services.",
                "Lors du dernier test, la messagerie a été remise en service en moins de quatre"
                " heures.",
            ),
            tools=("sauvegarde-externalisee", "protection-des-postes"),
            difficulties=(
                "La première restauration de test a échoué : une partie des données n'était"
                " tout simplement pas sauvegardée.",
            ),
            lessons=("Une sauvegarde que l'on n'a jamais restaurée n'est qu'une hypothèse.",),
        ),
        Initiative(
            title="Des postes nomades maîtrisés plutôt que des ordinateurs personnels",
            action="Plutôt que de laisser les agents se connecter depuis leur ordinateur"
            " personnel, {collectivite} a choisi de ne fournir que des postes configurés et"
            " chiffrés par le service informatique.",
            details=(
                "Les postes sont mis à jour automatiquement et administrés à distance, même"
                " lorsqu'ils ne reviennent jamais au bureau.",
                "En attendant les livraisons, les agents prioritaires se sont partagé les"
                " portables par roulement, d'une semaine sur l'autre.",
            ),
            results=(
                "Au deuxième confinement, plus aucun agent ne travaillait sur un ordinateur"
                " personnel.",
            ),
            tools=("ordinateurs-portables", "protection-des-postes", "vpn"),
            difficulties=(
                "Préparer chaque poste à la main prenait près d'une heure : il a fallu"
                " automatiser en cours de route.",
            ),
            lessons=(
                "Un poste géré à distance coûte un peu plus cher à l'achat, mais beaucoup moins"
                " en incidents.",
            ),
        ),
        Initiative(
            title="Un responsable de la sécurité informatique partagé entre collectivités",
            starts=(date(2020, 9, 1), date(2020, 12, 15)),
            action="Avec {n_small_txt} communes voisines, nous avons recruté un responsable de la"
            " sécurité des systèmes d'information partagé, financé au prorata de la population.",
            details=(
                "Il tient une permanence téléphonique et passe une journée par semaine dans"
                " chaque collectivité partenaire.",
                "Nous avons aussi sollicité le dispositif national d'assistance aux victimes de"
                " cybermalveillance pour relire nos pratiques et prioriser les chantiers.",
                "Une convention fixe la répartition de son temps et la conduite à tenir en cas"
                " d'alerte la nuit ou le week-end.",
            ),
            results=(
                "En un an, chaque collectivité partenaire a obtenu une cartographie de ses"
                " risques et un plan d'action chiffré.",
            ),
            tools=("suite-collaborative", "visioconference"),
            difficulties=(
                "Se mettre d'accord à plusieurs collectivités sur la répartition du coût a pris"
                " trois mois de discussions.",
            ),
            lessons=(
                "Écrivez la convention avant le recrutement : qui paie, combien de jours pour"
                " chacun, qui décide en cas d'alerte.",
            ),
        ),
        Initiative(
            title="Une charte du travail à distance écrite en urgence",
            action="Au printemps 2020, nous avons rédigé en urgence une charte du travail à"
            " distance qui fixe les règles de base : verrouillage des postes, pas de clé USB"
            " personnelle, aucun document de travail sur une messagerie privée.",
            details=(
                "La charte tient sur deux pages ; chaque agent l'a signée avant de recevoir son"
                " accès distant.",
                "Elle a été présentée en visio aux encadrants, qui l'ont relayée dans leurs"
                " équipes.",
            ),
            results=(
                "Les incidents liés à des clés USB ou à des messageries personnelles ont presque"
                " disparu.",
            ),
            tools=("visioconference", "plateforme-e-learning"),
            difficulties=(
                "Une charte écrite dans l'urgence laisse forcément des trous : l'usage des"
                " imprimantes personnelles, par exemple, n'était pas traité.",
            ),
            lessons=("Une charte courte est lue ; une charte de vingt pages ne l'est pas.",),
        ),
        Initiative(
            title="Un plan de reprise informatique testé pendant le confinement",
            starts=(date(2020, 11, 2), date(2020, 12, 10)),
            action="Pendant le deuxième confinement, nous avons testé grandeur nature notre plan"
            " de reprise informatique en simulant la perte du serveur principal.",
            details=(
                "L'exercice a duré une journée, un samedi, avec l'éditeur de nos principaux"
                " logiciels au bout du fil.",
                "Chaque étape a été chronométrée et notée, pour corriger la procédure ensuite.",
            ),
            results=(
                "Il a fallu onze heures pour tout remettre en route, au lieu des quatre prévues :"
                " l'exercice a été salutaire.",
            ),
            tools=("sauvegarde-externalisee",),
            difficulties=(
                "L'exercice a révélé que plusieurs mots de passe d'administration n'étaient"
                " connus que d'un seul agent.",
            ),
            lessons=(
                "Testez votre plan de reprise un jour calme : le jour de la vraie panne, il"
                " sera trop tard.",
            ),
        ),
    ),
    details=(
        "Le service informatique publie chaque semaine sur l'intranet un conseil de sécurité en"
        " trois lignes.",
        "Les élus ont été sensibilisés en début de séance, en dix minutes, avec des exemples"
        " réels reçus par les services.",
    ),
    difficulties=(
        "Le marché des ordinateurs portables était saturé au printemps 2020 : certains postes"
        " commandés en mars ne sont arrivés qu'en juin.",
        "Il a fallu tolérer pendant plusieurs semaines l'usage d'ordinateurs personnels, faute de"
        " mieux, avec les risques que cela comporte.",
        "Le service informatique ne compte que {n_small_txt} personnes, qui ont absorbé à la fois"
        " l'assistance aux agents et les chantiers de sécurité.",
        "Certains agents ont vécu la double authentification comme une contrainte de plus dans"
        " une période déjà tendue.",
        "Plusieurs logiciels métiers n'étaient pas prévus pour un accès à distance sécurisé, et"
        " nous avons dû bricoler des solutions de contournement.",
        "Trouver un prestataire disponible pour un audit a été difficile : tous les cabinets"
        " étaient sollicités en même temps.",
    ),
    lessons=(
        "La sécurité se pense dès le déploiement du télétravail, pas après : corriger de"
        " mauvaises habitudes prend des mois.",
        "Les exercices d'hameçonnage sont bien acceptés quand on les présente comme un"
        " entraînement et non comme un contrôle.",
        "Partager les compétences rares entre collectivités de même taille est une réponse"
        " réaliste à la pénurie de profils en cybersécurité.",
        "Associer les élus à la sensibilisation donne du poids au message auprès des équipes.",
    ),
    tools=("vpn", "protection-des-postes", "sauvegarde-externalisee", "ordinateurs-portables"),
    partners=(
        "le centre de gestion de la fonction publique territoriale",
        "le syndicat informatique départemental",
        "un prestataire d'infogérance",
        "les communes voisines",
        "le référent sûreté de la gendarmerie",
    ),
)

CONTINUITY = Bank(
    initiatives=(
        Initiative(
            title="Un numéro unique pour répondre aux habitants",
            action="Quand {siege} a fermé au public le 17 mars 2020, nous avons mis en place en"
            " moins d'une semaine un numéro unique, tenu par les agents d'accueil depuis chez"
            " eux.",
            details=(
                "Les demandes reçues par téléphone ou par courriel sont notées dans un tableau"
                " partagé, attribuées à un service et suivies jusqu'à la réponse.",
                "Un agent de l'accueil fait le lien avec les services pour que personne ne reste"
                " sans réponse plus de quarante-huit heures.",
                "Des agents des équipements sportifs et culturels, dont les missions étaient"
                " suspendues, sont venus renforcer l'équipe.",
            ),
            results=(
                "Le numéro unique a reçu plus de {appels} appels pendant le premier confinement.",
            ),
            tools=("standard-telephonique-dematerialise", "suite-collaborative"),
            difficulties=(
                "Seuls chez eux, les agents d'accueil ont mal vécu certains appels difficiles,"
                " sans collègue à qui en parler.",
            ),
            lessons=(
                "Un court point quotidien entre les agents du numéro unique les aide à tenir et"
                " à harmoniser leurs réponses.",
            ),
        ),
        Initiative(
            title="L'état civil sur rendez-vous en ligne",
            action="Nous avons ouvert la prise de rendez-vous en ligne pour l'état civil, les"
            " titres d'identité et l'urbanisme, afin de recevoir le public sans file d'attente.",
            details=(
                "Les créneaux sont ouverts une semaine à l'avance ; les personnes sans internet"
                " peuvent réserver par téléphone.",
                "Un SMS de rappel est envoyé la veille, ce qui a fait chuter le nombre de"
                " rendez-vous manqués.",
            ),
            results=(
                "En un an, nous avons enregistré {rdv} rendez-vous pris en ligne, soit près de"
                " {pct} des rendez-vous d'état civil.",
                "L'attente au guichet est passée de quarante minutes à moins de dix, et les"
                " usagers nous ont demandé de garder le système.",
            ),
            tools=("prise-de-rendez-vous-en-ligne", "sms-groupes"),
            difficulties=(
                "Les rendez-vous non honorés ont d'abord été nombreux, jusqu'à l'envoi"
                " systématique d'un rappel.",
            ),
            lessons=(
                "Gardez chaque semaine quelques créneaux sans rendez-vous pour les urgences et"
                " les personnes perdues.",
            ),
        ),
        Initiative(
            title="Les inscriptions scolaires et périscolaires entièrement en ligne",
            action="Les inscriptions scolaires, la cantine et le périscolaire ont basculé sur des"
            " formulaires en ligne, avec paiement dématérialisé.",
            details=(
                "Les familles peuvent joindre leurs justificatifs en photo depuis un téléphone.",
                "Une permanence téléphonique aide les parents qui bloquent sur une étape.",
            ),
            results=("À la rentrée 2020, près de {pct} des inscriptions sont arrivées en ligne.",),
            tools=("formulaire-en-ligne", "paiement-en-ligne", "teleservices"),
            difficulties=(
                "Certaines familles n'avaient qu'un téléphone et peinaient à remplir un long"
                " formulaire sur un petit écran.",
            ),
            lessons=(
                "Testez le formulaire sur un téléphone d'entrée de gamme avant de l'ouvrir au"
                " public.",
            ),
        ),
        Initiative(
            title="Tenir les séances du conseil à distance et en direct",
            action="{Conseil} s'est réuni en visioconférence dès avril 2020, avec une diffusion"
            " en direct pour que les habitants puissent suivre les débats.",
            details=(
                "Pour les votes, chaque élu dispose d'un lien personnel ; le secrétaire de séance"
                " fait l'appel nominal quand le vote électronique échoue.",
                "Les séances sont enregistrées et mises en ligne le lendemain sur notre site.",
            ),
            results=(
                "Les séances retransmises ont été suivies par plus de {participants} personnes"
                " en moyenne, bien plus que le public habituel de la salle.",
            ),
            tools=("visioconference", "diffusion-en-direct"),
            difficulties=(
                "Lors d'une séance, la connexion a coupé au moment d'un vote, qu'il a fallu"
                " reprendre à l'appel nominal.",
            ),
            lessons=(
                "Faites une répétition technique avec tous les élus avant la première séance à"
                " distance.",
            ),
        ),
        Initiative(
            title="Un plan de continuité d'activité enfin opérationnel",
            action="Notre plan de continuité d'activité, écrit en 2009 pour la grippe H1N1 et"
            " jamais mis à jour, a été entièrement repris pour identifier les missions à tenir"
            " coûte que coûte.",
            details=(
                "Le plan précise désormais, service par service, les missions essentielles, les"
                " agents capables de les assurer et les outils dont ils ont besoin.",
                "Chaque directeur a désigné un suppléant, et les coordonnées de crise sont"
                " vérifiées tous les six mois.",
            ),
            results=("Aucun service essentiel n'a été interrompu plus de deux jours.",),
            tools=("suite-collaborative", "visioconference"),
            difficulties=(
                "Le premier plan listait encore des agents qui avaient quitté la collectivité"
                " depuis des années.",
            ),
            lessons=(
                "Un plan de continuité tient en quelques pages par service ; au-delà, personne"
                " ne le lit en pleine crise.",
            ),
        ),
        Initiative(
            title="Un accueil physique réduit mais jamais fermé",
            action="Nous avons regroupé l'accueil de plusieurs services en un seul lieu, avec des"
            " protections en plexiglas, un sens de circulation et des créneaux réservés aux"
            " personnes sans internet.",
            details=(
                "Un agent oriente les visiteurs dès l'entrée et règle sur place les demandes"
                " simples.",
                "Les documents à signer sont préparés à l'avance pour réduire le temps passé au"
                " guichet.",
            ),
            results=(
                "L'accueil n'a jamais fermé plus d'une demi-journée, même au plus fort des"
                " absences d'agents.",
            ),
            tools=("prise-de-rendez-vous-en-ligne", "gestion-de-la-relation-usager"),
            difficulties=(
                "Le sens de circulation a créé des files d'attente sur le trottoir les jours"
                " d'affluence.",
            ),
            lessons=(
                "Un agent posté à l'entrée pour orienter le public fait gagner du temps à tout"
                " le monde.",
            ),
        ),
        Initiative(
            title="Le standard téléphonique depuis le domicile des agents",
            action="Les agents du standard ont pu prendre les appels depuis leur domicile grâce"
            " à un standard téléphonique dématérialisé.",
            details=(
                "Chaque agent se connecte depuis un navigateur et voit en temps réel les appels"
                " en attente.",
                "Un message d'accueil, mis à jour chaque semaine, donnait la liste des services"
                " ouverts, fermés ou joignables à distance.",
            ),
            results=(
                "Le taux d'appels décrochés est remonté au-dessus de 90 % en trois semaines.",
            ),
            tools=("standard-telephonique-dematerialise",),
            difficulties=(
                "Certains agents n'avaient pas une connexion assez stable pour tenir le"
                " standard toute une journée.",
            ),
            lessons=(
                "Prévoyez un bon casque pour chaque agent : la fatigue auditive arrive vite.",
            ),
        ),
        Initiative(
            title="Les actes signés électroniquement",
            action="Les élus ont signé les actes électroniquement, ce qui a évité de faire"
            " circuler des parapheurs papier entre des bureaux vides.",
            details=(
                "Le circuit de signature est visible par chaque service, qui sait à tout moment"
                " où en est son dossier.",
                "La transmission au contrôle de légalité se fait dans la foulée, sans impression.",
            ),
            results=("Le délai moyen de signature d'un arrêté est passé de huit jours à deux.",),
            tools=("signature-electronique", "teleservices"),
            difficulties=(
                "Quelques élus ont eu du mal à installer le certificat de signature sur leur"
                " ordinateur.",
            ),
            lessons=(
                "Commencez par les actes les plus courants : c'est là que le gain de temps se"
                " voit le plus.",
            ),
        ),
    ),
    details=(
        "Chaque semaine, nous avons publié la liste des services ouverts, fermés ou joignables à"
        " distance.",
        "Les consignes aux agents d'accueil tenaient sur une fiche, mise à jour à chaque annonce"
        " nationale.",
    ),
    difficulties=(
        "Les renvois d'appels vers les portables des agents ont d'abord mal fonctionné, et des"
        " habitants sont tombés sur une messagerie pendant plusieurs jours.",
        "Les règles sur les assemblées à distance ont changé plusieurs fois en quelques mois, ce"
        " qui a compliqué l'organisation des séances.",
        "Une partie de nos logiciels métiers n'était accessible que depuis les postes du bâtiment.",
        "Le public le plus fragile, souvent âgé, a eu du mal à comprendre qu'il fallait désormais"
        " prendre rendez-vous.",
        "Les agents d'accueil ont été très exposés aux tensions, parfois à l'agressivité"
        " d'usagers inquiets.",
        "La connexion de certains élus ne permettait pas de suivre une séance entière en vidéo.",
    ),
    lessons=(
        "Un plan de continuité ne sert que s'il est connu des encadrants et révisé régulièrement.",
        "Garder un accès humain par téléphone est indispensable, même quand tout existe en ligne.",
        "Les solutions montées dans l'urgence méritent d'être évaluées : certaines sont devenues"
        " la norme, d'autres ont été abandonnées sans regret.",
        "Il faut prévoir dès le départ une procédure de secours pour les votes à distance.",
        "Communiquer chaque semaine, même quand rien ne change, rassure les habitants.",
    ),
    tools=("teleservices", "site-internet", "formulaire-en-ligne"),
    partners=(
        "la préfecture",
        "notre opérateur de téléphonie",
        "l'éditeur du logiciel d'état civil",
        "le centre de gestion",
        "La Poste",
    ),
)

TELEWORK = Bank(
    initiatives=(
        Initiative(
            title="Le télétravail généralisé en deux semaines",
            action="Avant mars 2020, {n_small_txt} agents seulement télétravaillaient, à titre"
            " expérimental ; quinze jours plus tard, ils étaient {agents_tt}.",
            details=(
                "Les agents ont reçu un kit, ordinateur, casque et guide de connexion, remis sur"
                " rendez-vous pour éviter les regroupements.",
                "Une assistance informatique répondait de 8 h à 18 h, avec prise de main à"
                " distance.",
                "Nous avons classé les postes en trois catégories, télétravaillables en totalité,"
                " en partie ou pas du tout, ce qui a clarifié les attentes de chacun.",
            ),
            results=(
                "Au plus fort du confinement, {pct} des agents administratifs travaillaient à"
                " distance.",
            ),
            tools=("ordinateurs-portables", "vpn", "visioconference"),
            difficulties=(
                "Dans l'urgence, des agents ont reçu un ordinateur sans accès aux dossiers"
                " partagés dont ils avaient besoin.",
            ),
            lessons=(
                "Faites la liste des applications indispensables à chaque service avant de"
                " distribuer le matériel.",
            ),
        ),
        Initiative(
            title="Équiper les agents sans exploser le budget",
            action="Nous avons acheté en urgence {postes} ordinateurs portables et récupéré ceux"
            " des salles de formation pour équiper les agents dont les missions pouvaient se faire"
            " à distance.",
            details=(
                "Des écrans supplémentaires ont été prêtés aux agents qui en faisaient la"
                " demande, par un simple formulaire.",
                "Les postes fixes libérés ont été reconditionnés pour les agents restés sur site.",
            ),
            results=(
                "Le matériel, environ {budget}, a été en partie compensé par la baisse des frais"
                " de déplacement.",
            ),
            tools=("ordinateurs-portables", "formulaire-en-ligne"),
            difficulties=(
                "Le prix des écrans et des casques a fortement augmenté au printemps 2020.",
            ),
            lessons=(
                "Le matériel de récupération dépanne, mais il faut prévoir son remplacement au"
                " budget suivant.",
            ),
        ),
        Initiative(
            title="Garder le lien avec des équipes dispersées",
            action="Une messagerie instantanée et un point quotidien de quinze minutes en visio"
            " ont permis à chaque équipe de garder un rythme commun.",
            details=(
                "Les réunions d'équipe ont été limitées à une heure, avec un ordre du jour envoyé"
                " la veille.",
                "Les ressources humaines ont publié chaque semaine une lettre interne avec les"
                " consignes, des conseils pratiques et des nouvelles des services.",
                "Un café virtuel, le vendredi matin, réunissait ceux qui le voulaient, sans ordre"
                " du jour.",
            ),
            results=(
                "Plus de {pct} des agents disent avoir été bien informés pendant le confinement.",
            ),
            tools=("messagerie-instantanee", "visioconference", "lettre-d-information"),
            difficulties=(
                "La multiplication des messages instantanés a fini par fatiguer certaines équipes.",
            ),
            lessons=(
                "Décidez ensemble de ce qui passe par la messagerie instantanée et de ce qui"
                " peut attendre un courriel.",
            ),
        ),
        Initiative(
            title="Interroger les agents pour organiser l'après",
            action="À la fin du premier confinement, nous avons interrogé tous les agents, par un"
            " questionnaire en ligne, sur leurs conditions de travail à domicile.",
            details=(
                "Le questionnaire a recueilli {participants} réponses ; plus de la moitié"
                " signalaient un problème d'installation : chaise, écran, bruit.",
                "Les résultats ont été présentés aux représentants du personnel avant d'être"
                " diffusés à tous.",
            ),
            results=(
                "Trois mesures en sont sorties : prêt d'écrans, formation des encadrants, droit à"
                " la déconnexion.",
            ),
            tools=("questionnaire-en-ligne",),
            difficulties=(
                "Les agents de terrain ont peu répondu au questionnaire en ligne, faute"
                " d'ordinateur professionnel.",
            ),
            lessons=(
                "Proposez aussi une version papier du questionnaire pour ceux qui n'ont pas"
                " d'accès numérique.",
            ),
        ),
        Initiative(
            title="Former les encadrants au management à distance",
            action="Une formation au management à distance a été proposée aux {n_mid} encadrants,"
            " en petits groupes et en visioconférence.",
            details=(
                "Les séances partaient de situations vécues : un agent qui ne répond plus, une"
                " réunion qui s'éternise, une équipe qui se divise.",
                "La médecine préventive a été associée pour repérer les situations d'épuisement"
                " ou d'isolement.",
            ),
            results=(
                "Les encadrants formés organisent moins de réunions de contrôle et davantage de"
                " points individuels.",
            ),
            tools=("visioconference", "plateforme-e-learning"),
            difficulties=(
                "Les encadrants les plus chargés n'ont pas trouvé le temps de suivre la formation.",
            ),
            lessons=(
                "Des séances courtes et répétées valent mieux qu'une journée entière de formation.",
            ),
        ),
        Initiative(
            title="Une charte du télétravail née de la crise",
            starts=(date(2020, 9, 1), date(2020, 11, 30)),
            action="{Collectivite} a négocié avec les représentants du personnel une charte du"
            " télétravail qui fixe le nombre de jours, le droit à la déconnexion et la prise en"
            " charge du matériel.",
            details=(
                "Aucun message n'est attendu entre 19 h et 8 h, ni le week-end.",
                "Chaque demande de télétravail fait l'objet d'un échange avec le responsable,"
                " puis d'une convention d'un an.",
            ),
            results=(
                "La charte est entrée en vigueur en janvier 2021 : {agents_tt} agents ont signé"
                " une convention, deux jours par semaine au plus.",
            ),
            tools=("suite-collaborative", "ordinateurs-portables"),
            difficulties=(
                "Les discussions ont buté sur la prise en charge des frais de connexion et"
                " d'électricité.",
            ),
            lessons=(
                "Associez les représentants du personnel dès le départ : la charte sera mieux"
                " acceptée.",
            ),
        ),
        Initiative(
            title="Des bureaux partagés pour les agents mal connectés",
            action="Pour les agents mal connectés ou qui ne pouvaient pas travailler chez eux,"
            " nous avons ouvert des bureaux partagés dans deux équipements fermés au public.",
            details=(
                "Les places se réservent la veille, avec un nettoyage des postes entre deux"
                " occupants.",
                "Les bureaux sont répartis aux deux extrémités du territoire pour limiter les"
                " trajets.",
            ),
            results=(
                "Une trentaine d'agents les ont utilisés chaque semaine pendant le deuxième"
                " confinement.",
            ),
            tools=("formulaire-en-ligne", "vpn"),
            difficulties=(
                "Les réservations n'étaient pas toujours honorées, et des postes restaient vides.",
            ),
            lessons=(
                "Un système de réservation simple, avec annulation en un clic, évite les places"
                " perdues.",
            ),
        ),
        Initiative(
            title="Un appel chaque semaine aux agents isolés",
            action="Chaque agent isolé recevait un appel hebdomadaire de son responsable, avec une"
            " attention particulière aux personnes vivant seules.",
            details=(
                "Une grille d'entretien très simple aidait les responsables à aborder le moral,"
                " la charge de travail et l'installation.",
                "Les situations préoccupantes étaient signalées, avec l'accord de l'agent, à la"
                " médecine préventive.",
            ),
            results=(
                "L'absentéisme n'a pas augmenté, et plusieurs agents disent avoir gagné en"
                " autonomie.",
            ),
            tools=("visioconference", "messagerie-instantanee"),
            difficulties=("Certains responsables ont vécu ces appels comme une charge de plus.",),
            lessons=(
                "Un appel court mais régulier compte plus qu'un long entretien de temps en temps.",
            ),
        ),
    ),
    details=(
        "Un guide du télétravail, court et illustré, a été mis en ligne sur l'intranet.",
        "Les agents qui ne pouvaient pas télétravailler ont bénéficié d'horaires décalés pour"
        " limiter les contacts.",
    ),
    difficulties=(
        "Tous les métiers ne sont pas télétravaillables, et une forme d'incompréhension est"
        " apparue entre les agents restés sur le terrain et ceux qui travaillaient chez eux.",
        "Certains encadrants n'avaient jamais managé à distance et ont eu tendance à multiplier"
        " les réunions de contrôle.",
        "Dans plusieurs secteurs, le débit ne permettait pas une visioconférence correcte.",
        "Les agents avec de jeunes enfants ont vécu le premier confinement très difficilement,"
        " avec l'école à la maison en plus du travail.",
        "Nos applications métiers étaient lentes à travers le VPN, et il a fallu étaler les"
        " connexions sur la journée.",
        "Le cadre juridique du télétravail dans la fonction publique territoriale a évolué en"
        " cours de route, ce qui a retardé la charte.",
    ),
    lessons=(
        "Le télétravail tient sur la confiance : fixer des objectifs clairs vaut mieux que"
        " contrôler les horaires.",
        "Un moment informel en visio, sans ordre du jour, a beaucoup compté pour la cohésion des"
        " équipes.",
        "Mieux vaut équiper correctement moins d'agents que laisser chacun bricoler avec son"
        " matériel personnel.",
        "Interroger les agents tôt permet de corriger les problèmes avant qu'ils ne deviennent"
        " des arrêts maladie.",
        "Le droit à la déconnexion doit être écrit et rappelé, sinon les messages tardifs"
        " deviennent la règle.",
    ),
    tools=("ordinateurs-portables", "vpn", "visioconference", "suite-collaborative"),
    partners=(
        "les représentants du personnel",
        "le comité technique",
        "la médecine préventive",
        "le centre de gestion",
        "le CNFPT",
    ),
)

INTERMEDIARY_BODIES = Bank(
    initiatives=(
        Initiative(
            title="Une cellule de crise ouverte aux partenaires du territoire",
            action="Dès le début du confinement, nous avons élargi la cellule de crise aux"
            " bailleurs sociaux, aux chambres consulaires, aux associations caritatives et aux"
            " représentants des commerçants.",
            details=(
                "Chaque réunion donnait lieu à un relevé de décisions envoyé le jour même à tous"
                " les participants.",
                "Les échanges étaient organisés par thème : alimentation, santé, emploi, logement.",
            ),
            results=("La cellule élargie s'est réunie {n_mid} fois entre mars et juin 2020.",),
            tools=("visioconference", "suite-collaborative"),
            difficulties=(
                "Avec plus de vingt participants, les premières réunions ont duré plus de deux"
                " heures.",
            ),
            lessons=(
                "Fixez une durée et un ordre du jour courts : une heure suffit si chacun prépare.",
            ),
        ),
        Initiative(
            title="Les conseils de quartier continuent en visio",
            action="Les conseils de quartier ont continué à se réunir en visioconférence, avec une"
            " séance par téléphone pour les membres qui n'étaient pas équipés.",
            details=(
                "Un agent de la démocratie locale appelait chaque membre avant la première"
                " séance pour vérifier sa connexion.",
                "Les comptes rendus étaient publiés sur le site et affichés dans les halls"
                " d'immeuble.",
            ),
            results=(
                "Les conseils se sont réunis presque aussi souvent qu'en temps normal, avec des"
                " séances plus courtes.",
            ),
            tools=("visioconference", "site-internet"),
            difficulties=(
                "Des membres sans ordinateur ni smartphone n'ont pu participer que par"
                " téléphone, en entendant mal.",
            ),
            lessons=(
                "Un appel de l'agent avant la première séance rassure les membres les moins à"
                " l'aise.",
            ),
        ),
        Initiative(
            title="Un réseau de référents de quartier pour relayer l'information",
            action="Nous avons constitué un réseau de {n_mid} référents d'immeuble et de quartier,"
            " volontaires, chargés de relayer les informations officielles et de signaler les"
            " personnes en difficulté.",
            details=(
                "Les référents reçoivent chaque semaine un message avec les consignes du moment,"
                " écrites simplement, qu'ils affichent dans les halls ou transmettent par"
                " téléphone.",
                "Avec notre délégué à la protection des données, nous avons limité les"
                " informations échangées au strict nécessaire.",
            ),
            results=(
                "En deux mois, les référents ont signalé plus de {n_mid} situations qui auraient"
                " échappé aux services.",
            ),
            tools=("sms-groupes", "lettre-d-information"),
            difficulties=(
                "Quelques référents ont outrepassé leur rôle en intervenant eux-mêmes dans des"
                " situations délicates.",
            ),
            lessons=("Dites clairement aux référents ce qu'ils font, et ce qu'ils ne font pas.",),
        ),
        Initiative(
            title="Le conseil de développement sollicité pour la sortie de crise",
            starts=(date(2020, 5, 4), date(2020, 6, 30)),
            action="Le conseil de développement a été saisi pour recueillir l'avis des habitants"
            " et des acteurs locaux sur les priorités de la sortie de crise.",
            details=(
                "Un questionnaire en ligne a recueilli les propositions des habitants ; le"
                " conseil en a tiré une vingtaine de recommandations.",
                "Trois ateliers en visio ont permis d'approfondir les sujets qui revenaient le"
                " plus : emploi des jeunes, commerce, isolement.",
            ),
            results=(
                "Une dizaine de ces recommandations ont été reprises dans le plan de relance"
                " local.",
            ),
            tools=("questionnaire-en-ligne", "visioconference"),
            difficulties=(
                "Les délais étaient courts pour une instance bénévole habituée à travailler sur"
                " plusieurs mois.",
            ),
            lessons=(
                "Posez au conseil de développement une question précise : ses réponses n'en"
                " seront que plus utiles.",
            ),
        ),
        Initiative(
            title="Réunir chaque semaine les acteurs économiques et sociaux",
            action="Une réunion hebdomadaire en visio a rassemblé les représentants des"
            " entreprises, des syndicats de salariés, des associations et des services de l'État.",
            details=(
                "Chaque participant disposait de cinq minutes pour faire remonter les difficultés"
                " de son secteur.",
                "Les présidents d'association avaient en plus une ligne directe avec un agent"
                " dédié.",
            ),
            results=(
                "Plusieurs difficultés ont été réglées en quelques jours, comme l'accès des"
                " entreprises aux masques ou les horaires des transports.",
            ),
            tools=("visioconference", "lettre-d-information"),
            difficulties=(
                "Les petites entreprises, peu représentées, se sont senties moins écoutées que"
                " les grandes.",
            ),
            lessons=(
                "Invitez aussi des artisans et des indépendants, pas seulement les"
                " organisations qui les représentent.",
            ),
        ),
        Initiative(
            title="Associer les bailleurs sociaux au suivi des locataires fragiles",
            action="Avec les bailleurs sociaux, nous avons appelé systématiquement les locataires"
            " âgés ou isolés, en partageant la charge entre leurs gardiens et nos agents.",
            details=(
                "Les gardiens connaissent les locataires et repèrent vite une boîte aux lettres"
                " qui déborde ou des volets qui restent fermés.",
                "Une fiche commune permettait de noter les besoins et de les transmettre au bon"
                " service.",
            ),
            results=(
                "Plus de {seniors} locataires ont été appelés au moins une fois pendant le"
                " premier confinement.",
            ),
            tools=("suite-collaborative", "standard-telephonique-dematerialise"),
            difficulties=(
                "Les fichiers des bailleurs et les nôtres ne se recoupaient pas, et il a fallu"
                " croiser les listes à la main.",
            ),
            lessons=(
                "Une convention de partage de données signée avant la crise nous aurait fait"
                " gagner des jours.",
            ),
        ),
    ),
    details=(
        "Un interlocuteur unique, côté collectivité, centralisait les demandes des partenaires.",
        "Les partenaires recevaient chaque vendredi une synthèse des décisions de la semaine.",
    ),
    difficulties=(
        "Les conseils de quartier ont perdu une partie de leurs membres les plus âgés, peu à"
        " l'aise avec la visioconférence.",
        "Il a fallu trouver un cadre pour partager des informations sur des personnes"
        " vulnérables sans enfreindre le règlement sur la protection des données.",
        "Certains partenaires attendaient de nous des réponses qui relevaient de l'État ou du"
        " département, d'où des frustrations.",
        "La mobilisation s'est essoufflée à l'automne, au moment où le deuxième confinement"
        " aurait demandé un nouvel effort.",
        "Réunir des acteurs aussi différents dans une même visio a parfois donné des réunions"
        " longues et peu conclusives.",
    ),
    lessons=(
        "Les corps intermédiaires voient des situations que les services ne voient pas : il"
        " faut les associer dès le premier jour.",
        "Un interlocuteur unique côté collectivité évite que les partenaires se perdent entre"
        " les services.",
        "Des réunions courtes et régulières valent mieux qu'une grande réunion mensuelle.",
        "Garder la possibilité de participer par téléphone évite d'exclure les membres les moins"
        " équipés.",
    ),
    tools=("visioconference", "questionnaire-en-ligne", "lettre-d-information"),
    partners=(
        "les bailleurs sociaux",
        "la chambre de commerce et d'industrie",
        "la chambre de métiers et de l'artisanat",
        "le conseil de développement",
        "les associations caritatives",
        "les conseils de quartier",
        "les services de l'État",
    ),
)

ORGANISATION_OTHER = Bank(
    initiatives=(
        Initiative(
            title="Une communication de crise sur tous les canaux",
            action="Nous avons monté une cellule de communication de crise qui publiait chaque"
            " jour un point de situation sur le site, sur les réseaux sociaux et par SMS aux"
            " abonnés.",
            details=(
                "Les messages étaient validés en moins d'une heure par un circuit court : un élu,"
                " la direction générale, le service communication.",
                "Un agent répondait aux questions posées en commentaire, du lundi au samedi.",
            ),
            results=(
                "Nos pages sur les réseaux sociaux ont gagné plus de {n_big} abonnés pendant le"
                " premier confinement.",
            ),
            tools=("reseaux-sociaux", "sms-groupes", "site-internet"),
            difficulties=(
                "Répondre aux commentaires, parfois agressifs, le soir et le week-end a épuisé"
                " l'équipe.",
            ),
            lessons=("Prévoyez un roulement pour la modération des réseaux sociaux.",),
        ),
        Initiative(
            title="Un tableau de bord quotidien pour piloter la crise",
            action="Un tableau de bord quotidien, tenu par chaque service, permettait à la"
            " cellule de crise de suivre les effectifs présents, les demandes des habitants et les"
            " stocks de matériel de protection.",
            details=(
                "Le tableau de bord tenait sur une page, mise à jour chaque matin avant 9 h.",
                "Certaines données, comme les horaires des services, ont été publiées en données"
                " ouvertes.",
            ),
            results=(
                "La cellule de crise a pu décider en une réunion de trente minutes par jour.",
            ),
            tools=("suite-collaborative", "donnees-ouvertes"),
            difficulties=(
                "Chaque service comptait à sa façon, et les premiers chiffres étaient"
                " difficiles à comparer.",
            ),
            lessons=("Définissez trois ou quatre indicateurs communs, pas plus.",),
        ),
        Initiative(
            title="Acheter dans l'urgence sans perdre le contrôle",
            action="Pour acheter masques, gel et plexiglas en urgence, la commande publique a dû"
            " s'adapter : procédures simplifiées, achats groupés avec les communes voisines,"
            " paiements accélérés aux fournisseurs locaux.",
            details=(
                "Un groupement de commandes a été constitué en quelques jours pour peser face aux"
                " fournisseurs.",
                "Chaque achat d'urgence était tracé dans un registre partagé, pour pouvoir en"
                " rendre compte ensuite.",
            ),
            results=("Les fournisseurs locaux ont été payés en une dizaine de jours en moyenne.",),
            tools=("suite-collaborative", "signature-electronique"),
            difficulties=(
                "Plusieurs fournisseurs apparus pendant la crise n'ont jamais livré, et il a"
                " fallu récupérer les acomptes.",
            ),
            lessons=("Vérifiez toujours un fournisseur inconnu avant de payer quoi que ce soit.",),
        ),
        Initiative(
            title="Le courrier numérisé pendant le confinement",
            action="Le courrier entrant a été numérisé dès sa réception et distribué par voie"
            " électronique, ce qui a permis aux agents à distance de continuer à traiter les"
            " dossiers.",
            details=(
                "La numérisation a été confiée à deux agents de l'accueil, formés en une matinée.",
                "Les originaux sont conservés et classés chaque semaine.",
            ),
            results=(
                "Le délai de traitement du courrier est resté stable malgré la fermeture des"
                " bureaux.",
            ),
            tools=("suite-collaborative", "signature-electronique"),
            difficulties=(
                "Le scanner de l'accueil n'était pas prévu pour de tels volumes et a lâché au"
                " bout de deux semaines.",
            ),
            lessons=(
                "Numériser le courrier dès son arrivée est une habitude à garder après la crise.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "Les consignes nationales arrivaient souvent le soir pour le lendemain, et il fallait"
        " tout réécrire dans l'urgence.",
        "Les fausses informations circulaient plus vite que nos messages sur les groupes locaux.",
        "Le prix des équipements de protection a été multiplié par cinq en quelques semaines.",
    ),
    lessons=(
        "Un seul point de situation par jour, à heure fixe, vaut mieux que des messages dispersés.",
        "Les outils de pilotage les plus simples sont ceux qui tiennent dans la durée.",
        "Les groupements d'achat entre collectivités voisines gagneraient à exister avant la"
        " crise.",
    ),
    tools=("reseaux-sociaux", "site-internet", "lettre-d-information"),
    partners=(
        "les communes voisines",
        "la préfecture",
        "la presse locale",
        "les fournisseurs locaux",
    ),
)

# ---------------------------------------------------------------------------------------------
# Theme 2: support to the local economy
# ---------------------------------------------------------------------------------------------

SHORT_SUPPLY_CHAINS = Bank(
    initiatives=(
        Initiative(
            title="Un drive fermier pour remplacer le marché fermé",
            action="Quand le marché hebdomadaire a été suspendu, nous avons proposé aux"
            " producteurs qui y vendaient un drive fermier : commande en ligne jusqu'au jeudi,"
            " retrait le samedi matin sur un grand parking du centre.",
            details=(
                "Chaque producteur gère lui-même ses stocks et ses prix ; {collectivite} prend en"
                " charge l'outil de commande et la communication.",
                "Les retraits se font par créneaux de quinze minutes, avec un sens de circulation"
                " et du gel à l'entrée.",
                "Des agents des espaces verts et des sports, dont l'activité était à l'arrêt, ont"
                " prêté main-forte pour la logistique.",
            ),
            results=(
                "En {semaines} semaines, le drive a enregistré {commandes} commandes auprès de"
                " {producteurs} producteurs.",
            ),
            tools=("click-and-collect", "paiement-en-ligne", "reseaux-sociaux"),
            difficulties=(
                "Le premier samedi, la file de voitures a débordé sur la route, et il a fallu"
                " revoir le plan de circulation.",
            ),
            lessons=("Testez le circuit de retrait avec quelques clients avant l'ouverture.",),
        ),
        Initiative(
            title="Une carte des producteurs en vente directe",
            action="Nous avons publié une carte interactive des producteurs qui vendent en direct,"
            " avec leurs horaires, leurs produits et leurs modes de retrait.",
            details=(
                "Les producteurs mettent eux-mêmes la carte à jour grâce à un formulaire très"
                " simple.",
                "La carte est aussi imprimée et déposée dans les pharmacies et les boulangeries"
                " pour ceux qui n'ont pas internet.",
            ),
            results=(
                "La carte a été consultée plus de {n_big} fois pendant le premier confinement.",
            ),
            tools=("carte-interactive", "formulaire-en-ligne", "donnees-ouvertes"),
            difficulties=(
                "Certaines fiches n'ont jamais été mises à jour, et des clients se sont"
                " déplacés pour rien.",
            ),
            lessons=(
                "Demandez aux producteurs de confirmer leurs informations chaque mois, sinon la"
                " fiche disparaît.",
            ),
        ),
        Initiative(
            title="Des paniers de producteurs commandés en ligne",
            action="Avec la chambre d'agriculture, {collectivite} a lancé une plateforme de"
            " commande de paniers auprès de {producteurs} producteurs du territoire.",
            details=(
                "Les paniers sont composés chaque semaine selon les récoltes, avec une formule"
                " familiale et une formule pour une personne.",
                "Un message envoyé chaque mercredi rappelle aux clients les produits disponibles"
                " et l'heure limite de commande.",
            ),
            results=(
                "Au plus fort du confinement, près de {commandes} paniers ont été distribués en"
                " un mois.",
            ),
            tools=("marketplace-locale", "paiement-en-ligne", "lettre-d-information"),
            difficulties=(
                "La composition imposée des paniers ne convenait pas à tous, et une partie des"
                " clients n'a pas renouvelé.",
            ),
            lessons=(
                "Proposez au moins deux formules, et la possibilité d'ajouter des produits à"
                " l'unité.",
            ),
        ),
        Initiative(
            title="La cantine approvisionnée par les fermes voisines",
            action="La restauration collective a profité de la crise pour augmenter la part de"
            " produits locaux, en commandant directement aux maraîchers et aux éleveurs voisins.",
            details=(
                "Les menus sont construits avec les producteurs un mois à l'avance, selon ce"
                " qu'ils peuvent fournir.",
                "Le marché public a été découpé en petits lots pour que les exploitations"
                " familiales puissent répondre.",
            ),
            results=(
                "La part de produits locaux dans les repas des écoles est passée de {pct_low} à"
                " près de 40 %.",
            ),
            tools=("formulaire-en-ligne", "suite-collaborative"),
            difficulties=(
                "Les exploitations ne pouvaient pas toujours fournir les volumes demandés à temps.",
            ),
            lessons=("Construire les menus avec les producteurs, et non l'inverse, change tout.",),
        ),
        Initiative(
            title="Un local réfrigéré pour les commandes des producteurs",
            action="Nous avons mis à la disposition des producteurs un local réfrigéré où les"
            " habitants retirent les commandes passées en ligne.",
            details=(
                "Le local est ouvert deux soirs par semaine, tenu à tour de rôle par les"
                " producteurs.",
                "Le paiement se fait en ligne, ce qui limite les manipulations d'espèces et le"
                " temps passé sur place.",
            ),
            results=(
                "Plusieurs producteurs ont gardé la vente en ligne après la réouverture du"
                " marché ; elle pèse désormais dans leur chiffre d'affaires.",
            ),
            tools=("click-and-collect", "paiement-en-ligne"),
            difficulties=(
                "Les horaires d'ouverture, en soirée, ne convenaient pas à tous les producteurs.",
            ),
            lessons=(
                "Le retrait doit s'adapter aux horaires des clients, pas seulement à ceux des"
                " producteurs.",
            ),
        ),
        Initiative(
            title="Des casiers réfrigérés pour les produits de la ferme",
            action="Un groupe d'agriculteurs a installé, avec notre soutien, des casiers"
            " réfrigérés accessibles jour et nuit près de la gare.",
            details=(
                "Le client reçoit un code par SMS qui ouvre son casier.",
                "{Collectivite} a pris en charge le raccordement électrique et l'aménagement de"
                " l'emplacement.",
            ),
            results=(
                "Les casiers sont utilisés surtout par des actifs qui rentrent tard : un public"
                " que le marché ne touchait pas.",
            ),
            tools=("click-and-collect", "sms-groupes"),
            difficulties=(
                "Deux casiers sont tombés en panne pendant l'été, avec des produits frais à"
                " l'intérieur.",
            ),
            lessons=(
                "Prévoyez un contrat de maintenance et un numéro d'urgence affiché sur place.",
            ),
        ),
    ),
    details=(
        "Les producteurs ont été réunis en visio pour fixer ensemble les règles de fonctionnement.",
    ),
    difficulties=(
        "Certains producteurs, souvent les plus âgés, n'étaient pas à l'aise avec l'outil en"
        " ligne et ont dû être accompagnés par téléphone.",
        "Les premières semaines, les commandes arrivaient en masse le dernier jour, ce qui"
        " compliquait la préparation.",
        "Il a fallu clarifier vite avec les services de l'État les règles sanitaires"
        " applicables, qui changeaient souvent.",
        "Les frais de la solution de paiement ont pesé sur les plus petits producteurs.",
        "À la réouverture des marchés, une partie des clients est revenue à ses habitudes et les"
        " volumes en ligne ont chuté.",
    ),
    lessons=(
        "Il faut laisser la main aux producteurs sur leurs prix et leurs stocks : la collectivité"
        " facilite, elle ne vend pas.",
        "Un outil simple, utilisable sur un téléphone, vaut mieux qu'une solution complète que"
        " personne ne sait utiliser.",
        "Un lieu et un horaire de retrait réguliers créent une habitude chez les clients.",
        "Associer la chambre d'agriculture dès le départ fait gagner un temps précieux pour"
        " trouver les producteurs.",
    ),
    tools=("click-and-collect", "paiement-en-ligne", "reseaux-sociaux"),
    partners=(
        "la chambre d'agriculture",
        "les producteurs du marché",
        "un groupement de producteurs",
        "la cuisine centrale",
        "une association de maraîchers",
    ),
)

LOCAL_PRODUCTION = Bank(
    initiatives=(
        Initiative(
            title="Des visières produites par le fablab et les entreprises locales",
            action="Au printemps 2020, le fablab du territoire et {n_small_txt} entreprises de"
            " plasturgie ont produit des visières pour les soignants, les commerçants et les"
            " agents au contact du public.",
            details=(
                "Les besoins étaient centralisés dans un tableau partagé, et les livraisons"
                " assurées par les services techniques.",
                "Un contrôle qualité simple, fondé sur les recommandations officielles, précédait"
                " toute distribution.",
            ),
            results=("Près de {n_big} visières ont été produites entre avril et juin 2020.",),
            tools=("suite-collaborative", "formulaire-en-ligne"),
            difficulties=(
                "Les imprimantes 3D du fablab ne suffisaient pas : il a fallu passer à la"
                " découpe laser pour tenir les volumes.",
            ),
            lessons=(
                "Une production d'urgence doit s'arrêter dès que l'industrie prend le relais.",
            ),
        ),
        Initiative(
            title="Couturières et ateliers du territoire fabriquent des masques",
            action="Nous avons coordonné la fabrication de masques en tissu par des couturières"
            " bénévoles et deux ateliers textiles locaux, à partir de patrons validés et de tissu"
            " fourni par {collectivite}.",
            details=(
                "Les kits de tissu et d'élastique étaient déposés chez les couturières et les"
                " masques récupérés deux fois par semaine.",
                "Les masques ont été distribués dans les pharmacies et les points d'accueil, sur"
                " justificatif de domicile.",
            ),
            results=(
                "Plus de {n_big} masques en tissu ont été distribués gratuitement aux habitants.",
            ),
            tools=("plateforme-de-benevolat", "reseaux-sociaux"),
            difficulties=(
                "Certains patrons trouvés en ligne ne respectaient pas les normes, et une"
                " partie des masques n'a pas pu être distribuée.",
            ),
            lessons=("Fixez dès le départ un modèle unique, validé par un professionnel.",),
        ),
        Initiative(
            title="Une distillerie locale produit du gel hydroalcoolique",
            action="Une distillerie du territoire a transformé une partie de sa production en gel"
            " hydroalcoolique, que nous avons acheté pour les écoles et les services.",
            details=(
                "La commande a été passée en procédure d'urgence, sur la base d'un prix négocié"
                " pour six mois.",
                "Les flacons vides sont rapportés et remplis à nouveau, ce qui limite les déchets.",
            ),
            results=(
                "Les écoles n'ont jamais manqué de gel, même au moment des pénuries nationales.",
            ),
            tools=("formulaire-en-ligne",),
            difficulties=(
                "Il a fallu trouver des flacons, introuvables à l'époque, et organiser la"
                " livraison dans les écoles.",
            ),
            lessons=(
                "Un partenaire local peut répondre à une pénurie plus vite qu'une centrale"
                " d'achat nationale.",
            ),
        ),
        Initiative(
            title="Un annuaire des entreprises qui produisent près de chez vous",
            action="Nous avons mis en ligne un annuaire des entreprises qui fabriquent ou"
            " transforment localement, pour faciliter les achats de proximité des habitants comme"
            " des entreprises.",
            details=(
                "Les entreprises ont été repérées grâce aux fichiers de la chambre de commerce et"
                " à un appel lancé sur les réseaux sociaux.",
                "Un agent du développement économique a appelé chaque entreprise pour vérifier"
                " ses informations.",
            ),
            results=(
                "L'annuaire compte aujourd'hui {n_mid} fiches classées par secteur, avec les"
                " coordonnées et les modes de vente.",
            ),
            tools=("carte-interactive", "site-internet", "donnees-ouvertes"),
            difficulties=(
                "Beaucoup d'entreprises n'ont pas répondu aux relances, et l'annuaire est resté"
                " incomplet.",
            ),
            lessons=(
                "Un annuaire vit si les entreprises y trouvent un intérêt : des clients, des"
                " marchés, de la visibilité.",
            ),
        ),
        Initiative(
            title="Relocaliser une partie de nos achats",
            action="{Collectivite} a revu ses marchés publics pour ouvrir davantage de lots aux"
            " petites entreprises du territoire, notamment pour les fournitures et l'entretien.",
            details=(
                "Des réunions d'information ont été organisées en visio pour expliquer aux"
                " entreprises comment répondre.",
                "Les cahiers des charges privilégient désormais les délais courts et le service"
                " après-vente de proximité.",
            ),
            results=(
                "La part de nos achats réalisés auprès d'entreprises du département a nettement"
                " progressé en un an.",
            ),
            tools=("visioconference", "site-internet"),
            difficulties=(
                "Des petites entreprises ont renoncé à répondre, découragées par les formalités.",
            ),
            lessons=(
                "Simplifier les dossiers de candidature compte autant qu'allotir les marchés.",
            ),
        ),
        Initiative(
            title="Une plateforme logistique partagée pour les petites entreprises",
            action="Avec l'association des commerçants, nous avons organisé une plateforme"
            " logistique commune pour que les petites entreprises regroupent leurs"
            " approvisionnements.",
            details=(
                "Un entrepôt inoccupé a été mis à disposition gratuitement pendant un an.",
                "Les commandes sont regroupées deux fois par semaine pour remplir les camions.",
            ),
            results=(
                "Les frais de transport des entreprises participantes ont baissé d'environ"
                " {pct_low}.",
            ),
            tools=("suite-collaborative", "gestion-des-tournees"),
            difficulties=(
                "Accorder les horaires de livraison de plusieurs entreprises a demandé beaucoup"
                " d'échanges.",
            ),
            lessons=("Un coordinateur identifié, même à temps partiel, est indispensable.",),
        ),
    ),
    details=(
        "Un agent du développement économique a recensé les capacités de production et les"
        " besoins de chaque entreprise.",
    ),
    difficulties=(
        "Trouver des matières premières, élastique, plastique, tissu, a été un vrai casse-tête"
        " au printemps 2020.",
        "Les normes des équipements de protection ont évolué plusieurs fois, et il a fallu"
        " suspendre une production jugée non conforme.",
        "Les règles de la commande publique laissent peu de place à la préférence locale : il"
        " a fallu travailler finement les cahiers des charges.",
        "La mobilisation des bénévoles a été forte mais difficile à coordonner sans outil adapté.",
        "Une fois la pénurie passée, plusieurs entreprises se sont retrouvées avec des stocks"
        " invendus.",
    ),
    lessons=(
        "Connaître à l'avance les capacités de production du territoire permet de réagir en"
        " quelques jours plutôt qu'en quelques semaines.",
        "Les fablabs et les tiers-lieux sont précieux en temps de crise ; il faut les soutenir"
        " avant d'en avoir besoin.",
        "Les achats publics sont un vrai levier économique quand on prend le temps d'allotir.",
        "Il faut penser dès le début à la sortie : que deviennent la production et les stocks"
        " quand le besoin disparaît ?",
    ),
    tools=("carte-interactive", "formulaire-en-ligne", "site-internet"),
    partners=(
        "le fablab",
        "la chambre de commerce et d'industrie",
        "des entreprises de plasturgie",
        "des couturières bénévoles",
        "l'association des commerçants",
        "la chambre de métiers et de l'artisanat",
    ),
)

HOME_DELIVERY = Bank(
    initiatives=(
        Initiative(
            title="Les courses livrées aux personnes âgées par des agents volontaires",
            action="Pendant le premier confinement, une vingtaine d'agents volontaires ont livré"
            " les courses et les médicaments des personnes âgées ou malades qui ne pouvaient pas"
            " sortir.",
            details=(
                "Les demandes arrivent par téléphone {au_ccas} ou par un formulaire en ligne ; un"
                " agent les répartit chaque matin entre les livreurs.",
                "Les livreurs ont masques, gants et attestation ; les paiements se font par"
                " chèque ou par virement pour éviter les espèces.",
                "Chaque livraison est l'occasion d'échanger quelques mots et de repérer une"
                " difficulté, signalée ensuite {au_ccas}.",
            ),
            results=(
                "Entre mars et mai 2020, plus de {seniors} personnes âgées ont utilisé le"
                " service au moins une fois.",
            ),
            tools=("formulaire-en-ligne", "standard-telephonique-dematerialise"),
            difficulties=(
                "Certaines personnes avaient du mal à dicter une liste de courses précise par"
                " téléphone.",
            ),
            lessons=(
                "Une liste type, avec les produits courants, simplifie les commandes et les"
                " courses.",
            ),
        ),
        Initiative(
            title="Un service de livraison mutualisé pour les commerçants",
            action="Nous avons financé un service de livraison mutualisé : les commerçants"
            " déposent leurs colis en un point unique, et un coursier les livre le jour même.",
            details=(
                "Les commerçants versent une participation symbolique par livraison ; le reste"
                " est pris en charge par {collectivite}.",
                "Les tournées sont organisées par secteur, quinze livraisons au plus par tournée.",
            ),
            results=("Plus de {commandes} livraisons ont été faites entre mars et mai 2020.",),
            tools=("gestion-des-tournees", "click-and-collect"),
            difficulties=(
                "Les volumes variaient beaucoup d'un jour à l'autre, ce qui compliquait"
                " l'organisation du coursier.",
            ),
            lessons=(
                "Fixez une heure limite de dépôt des colis pour pouvoir organiser les tournées.",
            ),
        ),
        Initiative(
            title="Livrer les repas des seniors sans rompre le lien",
            action="Le portage de repas à domicile a été ouvert à toutes les personnes de plus de"
            " 70 ans qui le demandaient, sans condition de ressources.",
            details=(
                "Les agents de portage prennent quelques minutes pour discuter, à distance, sur"
                " le pas de la porte.",
                "Un numéro de téléphone dédié a été ouvert pour les personnes qui n'utilisent pas"
                " internet.",
            ),
            results=(
                "Le nombre de repas livrés chaque jour a presque doublé pendant le premier"
                " confinement.",
            ),
            tools=("gestion-des-tournees", "standard-telephonique-dematerialise"),
            difficulties=(
                "La cuisine centrale a dû augmenter sa production du jour au lendemain, avec"
                " une équipe réduite.",
            ),
            lessons=(
                "Les livreurs de repas sont de précieux veilleurs : donnez-leur un moyen simple"
                " de signaler une inquiétude.",
            ),
        ),
        Initiative(
            title="Des coursiers à vélo pour les commerces du centre",
            action="{Collectivite} a soutenu une coopérative de coursiers à vélo pour assurer les"
            " livraisons des commerces du centre.",
            details=(
                "La subvention couvre la moitié du prix de chaque course pendant six mois.",
                "Les commerçants réservent une course en ligne avant 14 h pour une livraison le"
                " jour même.",
            ),
            results=(
                "Au total, {commercants} commerçants ont fait appel aux coursiers au moins une"
                " fois.",
            ),
            tools=("formulaire-en-ligne", "gestion-des-tournees"),
            difficulties=("Les commerces des rues en pente étaient moins bien desservis.",),
            lessons=(
                "Un soutien dégressif dans le temps aide la coopérative à trouver son modèle"
                " économique.",
            ),
        ),
        Initiative(
            title="Les livres de la médiathèque livrés à domicile",
            action="La médiathèque a proposé des livres à domicile : réservation en ligne ou par"
            " téléphone, dépôt devant la porte par un agent.",
            details=(
                "Les bibliothécaires composent aussi des sélections surprises pour ceux qui ne"
                " savent pas quoi choisir.",
                "Les documents rendus passent trois jours en quarantaine avant un nouveau prêt.",
            ),
            results=(
                "Près de {participants} foyers ont été livrés, dont beaucoup de lecteurs âgés qui"
                " ne venaient plus à la médiathèque.",
            ),
            tools=("site-internet", "formulaire-en-ligne"),
            difficulties=(
                "La quarantaine des documents rendus a ralenti la rotation des collections.",
            ),
            lessons=(
                "Le portage a fait revenir des lecteurs éloignés de la médiathèque : il mérite"
                " de durer après la crise.",
            ),
        ),
        Initiative(
            title="Commander chez les commerçants de proximité et se faire livrer",
            action="Nous avons lancé une plateforme où les commerces de proximité présentent leurs"
            " produits et proposent la livraison, dont les frais ont été pris en charge pendant"
            " {semaines} semaines.",
            details=(
                "Chaque commerçant choisit ses jours de livraison et le rayon qu'il peut couvrir.",
                "Un agent aide les commerçants à mettre leurs produits en ligne, par téléphone ou"
                " en boutique.",
            ),
            results=("En trois semaines, {commercants} commerçants ont rejoint la plateforme.",),
            tools=("marketplace-locale", "paiement-en-ligne"),
            difficulties=(
                "Quelques commerçants ont reçu plus de commandes qu'ils ne pouvaient en livrer.",
            ),
            lessons=("Laissez chaque commerçant fixer ses propres limites de livraison.",),
        ),
    ),
    details=(),
    difficulties=(
        "La demande a dépassé nos capacités la première semaine, et il a fallu donner la"
        " priorité aux personnes sans entourage.",
        "Organiser les tournées à la main, sur un tableur, est vite devenu ingérable.",
        "Des commerçants craignaient de perdre le contact avec leurs clients en passant par une"
        " plateforme.",
        "Le retour des agents sur leur poste à la fin du confinement a laissé le service sans"
        " livreurs du jour au lendemain.",
        "Les questions d'assurance et de responsabilité, en cas d'accident ou de produit abîmé,"
        " n'avaient pas été anticipées.",
    ),
    lessons=(
        "Un service de livraison a besoin d'un vrai outil de gestion des tournées dès qu'il"
        " dépasse quelques dizaines de commandes par jour.",
        "Le passage du livreur est souvent la seule visite de la journée : c'est aussi un outil"
        " de lien social.",
        "Il faut prévoir dès le départ qui prendra le relais après la crise : association,"
        " entreprise ou service permanent.",
        "Réglez les questions d'assurance avant la première livraison, pas après le premier"
        " incident.",
    ),
    tools=("gestion-des-tournees", "formulaire-en-ligne", "sms-groupes"),
    partners=(
        "{ccas}",
        "une coopérative de coursiers",
        "l'association des commerçants",
        "la Croix-Rouge française",
        "une entreprise d'insertion",
        "la médiathèque",
    ),
)

LOCAL_BUSINESSES = Bank(
    initiatives=(
        Initiative(
            title="Une marketplace pour les commerçants fermés",
            action="Dès le premier confinement, {collectivite} a ouvert une marketplace où les"
            " commerçants et artisans du territoire présentent leurs produits et vendent en"
            " ligne, sans abonnement.",
            details=(
                "L'inscription se fait par un formulaire en ligne ; un agent du service commerce"
                " valide chaque boutique dans la journée.",
                "Les commerçants choisissent le retrait en boutique, la livraison ou les deux, et"
                " restent maîtres de leurs prix.",
            ),
            results=(
                "Au total, {commercants} commerces ont rejoint la plateforme, dont une bonne"
                " moitié n'avait aucune présence en ligne auparavant.",
            ),
            tools=("marketplace-locale", "click-and-collect", "paiement-en-ligne"),
            difficulties=(
                "Une partie des boutiques inscrites n'a jamais mis un seul produit en ligne.",
            ),
            lessons=(
                "Accompagnez les premières ventes : un commerçant qui a vendu une fois reste"
                " sur la plateforme.",
            ),
        ),
        Initiative(
            title="Des chèques cadeaux abondés par la collectivité",
            action="Nous avons lancé des chèques cadeaux numériques, abondés de {pct_low} par"
            " {collectivite}, à dépenser uniquement dans les commerces indépendants du"
            " territoire.",
            details=(
                "Les chèques sont vendus en ligne et valables six mois chez les commerçants"
                " partenaires.",
                "Les commerçants sont remboursés chaque semaine, sans frais.",
            ),
            results=(
                "Les chèques ont généré plus de {budget} de dépenses dans les commerces locaux.",
            ),
            tools=("cheques-cadeaux-numeriques", "paiement-en-ligne"),
            difficulties=(
                "L'enveloppe d'abondement a été épuisée en quelques jours, et des habitants"
                " n'ont pas pu en profiter.",
            ),
            lessons=(
                "Plafonnez les achats par personne pour que l'abondement profite au plus grand"
                " nombre.",
            ),
        ),
        Initiative(
            title="Une cellule d'appui aux entreprises en difficulté",
            action="Une cellule d'appui téléphonique a été ouverte pour aider les chefs"
            " d'entreprise à comprendre et à demander les aides de l'État et de la région.",
            details=(
                "Trois agents du développement économique se relaient du lundi au vendredi.",
                "Une fiche à jour des aides disponibles est publiée chaque lundi sur le site.",
            ),
            results=("La cellule a traité plus de {appels} appels en deux mois.",),
            tools=("standard-telephonique-dematerialise", "site-internet"),
            difficulties=(
                "Les questions portaient souvent sur des aides dont les modalités n'étaient pas"
                " encore publiées.",
            ),
            lessons=("Une fiche à jour, et datée, évite de donner des informations dépassées.",),
        ),
        Initiative(
            title="Accompagner les commerçants vers la vente en ligne",
            action="Avec la chambre de commerce, nous avons organisé des ateliers en ligne pour"
            " aider les commerçants à créer leur fiche, photographier leurs produits et gérer les"
            " commandes.",
            details=(
                "Un manager de commerce accompagne un par un les commerçants les moins à l'aise"
                " avec le numérique.",
                "Les ateliers durent une heure, à l'heure du déjeuner, quand les boutiques sont"
                " calmes.",
            ),
            results=("Près de {commercants} commerçants ont suivi au moins un atelier.",),
            tools=("plateforme-e-learning", "visioconference", "reseaux-sociaux"),
            difficulties=(
                "L'heure du déjeuner ne convenait pas aux restaurateurs, occupés par la vente à"
                " emporter.",
            ),
            lessons=(
                "Proposez plusieurs créneaux, y compris le soir, et enregistrez les ateliers.",
            ),
        ),
        Initiative(
            title="Un fonds de soutien local versé en trois semaines",
            action="Un fonds de soutien local a été voté en avril 2020 pour les très petites"
            " entreprises exclues des aides nationales.",
            details=(
                "La demande se fait en ligne avec trois pièces justificatives, et le versement"
                " intervient sous quinze jours.",
                "Une commission réunissant élus et chambres consulaires examine les dossiers"
                " chaque semaine.",
            ),
            results=("Le fonds a soutenu {n_mid} entreprises, pour un montant moyen de 1 500 €.",),
            tools=("formulaire-en-ligne", "teleservices"),
            difficulties=(
                "Le règlement d'attribution a dû être revu deux fois pour s'articuler avec les"
                " aides de la région.",
            ),
            lessons=(
                "Parlez avec la région avant de voter un fonds local, pour éviter les doublons.",
            ),
        ),
        Initiative(
            title="Tenir à jour la liste des commerces ouverts",
            action="Nous avons tenu à jour, chaque jour, la liste des commerces ouverts, avec"
            " leurs horaires et leurs services de livraison ou de retrait.",
            details=(
                "La liste était publiée sur le site, relayée sur les réseaux sociaux et affichée"
                " dans les pharmacies et les boulangeries.",
                "Les commerçants signalaient eux-mêmes leurs changements par un formulaire.",
            ),
            results=(
                "La page a été la plus consultée de notre site pendant les deux confinements.",
            ),
            tools=("carte-interactive", "site-internet", "reseaux-sociaux"),
            difficulties=(
                "La liste était parfois dépassée dès sa publication, tant les horaires"
                " changeaient.",
            ),
            lessons=(
                "Indiquez toujours la date de mise à jour à côté d'une information pratique.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "Beaucoup de commerçants n'avaient ni site, ni photos de leurs produits, ni habitude de"
        " la vente à distance.",
        "La plateforme a très bien marché pendant le deuxième confinement, puis sa"
        " fréquentation a nettement baissé à la réouverture.",
        "Les aides changeaient souvent, et la cellule a parfois donné des informations déjà"
        " dépassées.",
        "Convaincre les commerçants de payer un abonnement après la période gratuite a été"
        " difficile.",
        "Les grandes plateformes nationales offraient des services bien plus complets, et la"
        " comparaison n'était pas toujours à notre avantage.",
    ),
    lessons=(
        "La valeur d'une plateforme locale tient moins à la technique qu'à l'animation : il faut"
        " quelqu'un qui appelle les commerçants.",
        "Mieux vaut s'appuyer sur une association de commerçants active que tout porter seul.",
        "Un dispositif d'urgence doit annoncer sa date de fin dès le départ.",
        "La formation des commerçants au numérique est l'investissement qui restera après la"
        " crise.",
    ),
    tools=("marketplace-locale", "click-and-collect", "reseaux-sociaux"),
    partners=(
        "la chambre de commerce et d'industrie",
        "l'association des commerçants",
        "la région",
        "la chambre de métiers et de l'artisanat",
        "l'office de tourisme",
    ),
)

ECONOMY_OTHER = Bank(
    initiatives=(
        Initiative(
            title="Un marché de Noël en ligne",
            starts=(date(2020, 11, 16), date(2020, 12, 5)),
            action="Le marché de Noël ne pouvant se tenir en décembre 2020, nous l'avons organisé"
            " en ligne, avec une page par exposant et un retrait des achats en centre-ville.",
            details=(
                "Chaque exposant disposait d'une page avec ses créations et un lien de commande.",
                "Des animations filmées étaient publiées chaque soir sur les réseaux sociaux.",
            ),
            results=(
                "Au total, {n_mid} exposants ont participé, dont la moitié vendait en ligne pour"
                " la première fois.",
            ),
            tools=("marketplace-locale", "reseaux-sociaux"),
            difficulties=(
                "Les exposants ont dû photographier et décrire leurs créations en quelques jours.",
            ),
            lessons=(
                "Un retrait groupé en centre-ville fait venir les clients, et les commerces"
                " voisins en profitent.",
            ),
        ),
        Initiative(
            title="Le tourisme de proximité à l'été 2020",
            starts=(date(2020, 6, 1), date(2020, 7, 10)),
            action="Pour l'été 2020, l'office de tourisme a lancé une campagne en ligne invitant"
            " les habitants de la région à redécouvrir le territoire.",
            details=(
                "Les hébergeurs et les restaurateurs ont été invités à proposer des offres"
                " communes.",
                "Une carte des balades et des sites ouverts était mise à jour chaque semaine.",
            ),
            results=(
                "La fréquentation estivale a été proche de celle de 2019, avec une clientèle"
                " beaucoup plus locale.",
            ),
            tools=("carte-interactive", "reseaux-sociaux", "site-internet"),
            difficulties=(
                "Les annonces sanitaires de l'été ont fait craindre des annulations jusqu'au"
                " dernier moment.",
            ),
            lessons=(
                "Le tourisme de proximité mérite une campagne régulière, pas seulement en temps"
                " de crise.",
            ),
        ),
        Initiative(
            title="Une bourse à l'emploi pour les secteurs qui manquaient de bras",
            action="Avec Pôle emploi et la mission locale, nous avons créé une bourse à l'emploi en"
            " ligne pour les secteurs qui manquaient de bras : agriculture, aide à domicile,"
            " logistique.",
            details=(
                "Les offres étaient relayées chaque semaine sur les réseaux sociaux et dans la"
                " lettre d'information.",
                "Les candidats sans internet pouvaient s'inscrire par téléphone.",
            ),
            results=(
                "Plus de {n_mid} personnes ont trouvé un emploi temporaire grâce à la bourse.",
            ),
            tools=("site-internet", "lettre-d-information", "formulaire-en-ligne"),
            difficulties=(
                "Certaines offres ont été pourvues en quelques heures, d'autres jamais.",
            ),
            lessons=(
                "Retirez les offres dès qu'elles sont pourvues, sinon les candidats se"
                " découragent.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "Il a fallu convaincre des exposants habitués au contact direct avec le public.",
        "La visibilité de l'opération a dépendu presque entièrement des réseaux sociaux.",
    ),
    lessons=(
        "Un événement en ligne ne remplace pas l'ambiance d'un marché, mais il garde le lien"
        " avec les clients.",
        "Travailler avec le service public de l'emploi dès la conception évite les doublons.",
    ),
    tools=("reseaux-sociaux", "site-internet"),
    partners=(
        "l'office de tourisme",
        "Pôle emploi",
        "la mission locale",
        "l'association des commerçants",
    ),
)

# ---------------------------------------------------------------------------------------------
# Theme 3: social cohesion
# ---------------------------------------------------------------------------------------------

RIGHTS_AND_SOCIAL_AID = Bank(
    initiatives=(
        Initiative(
            title="Appeler toutes les personnes inscrites sur le registre des personnes fragiles",
            action="Dès le 17 mars 2020, les agents {du_ccas} ont appelé une à une les {seniors}"
            " personnes inscrites sur le registre des personnes vulnérables.",
            details=(
                "Chaque appel suivait une grille simple : santé, courses, médicaments,"
                " isolement, besoin d'aide administrative.",
                "Le registre a été complété grâce aux signalements des pharmaciens, des médecins,"
                " des voisins et des bailleurs.",
                "Les situations repérées étaient transmises le jour même aux partenaires"
                " concernés : infirmiers, aides à domicile, associations.",
            ),
            results=(
                "Près de {pct_low} des personnes appelées avaient besoin d'une aide concrète, le"
                " plus souvent pour les courses ou les médicaments.",
                "Le registre des personnes vulnérables a doublé en quelques semaines.",
            ),
            tools=("standard-telephonique-dematerialise", "gestion-de-la-relation-usager"),
            difficulties=(
                "Certaines personnes se sont méfiées de notre appel et ont d'abord cru à une"
                " arnaque.",
            ),
            lessons=(
                "Annoncez la campagne d'appels dans la presse locale pour que les personnes ne"
                " se méfient pas.",
            ),
        ),
        Initiative(
            title="Des permanences sociales maintenues par téléphone et sur rendez-vous",
            action="Nous avons maintenu les permanences des travailleurs sociaux par téléphone, et"
            " sur rendez-vous pour les situations urgentes.",
            details=(
                "Les rendez-vous se tiennent dans une salle aménagée, par créneaux de trente"
                " minutes.",
                "Un agent d'accueil filtre les appels et oriente vers le bon interlocuteur.",
            ),
            results=(
                "Aucune permanence n'a été supprimée, même au plus fort du premier confinement.",
            ),
            tools=("prise-de-rendez-vous-en-ligne", "standard-telephonique-dematerialise"),
            difficulties=(
                "Le téléphone ne permet pas de vérifier des papiers, ce qui a retardé certains"
                " dossiers.",
            ),
            lessons=(
                "Prévoyez un moyen simple d'envoyer des documents, comme une adresse"
                " électronique dédiée.",
            ),
        ),
        Initiative(
            title="Une aide alimentaire d'urgence pour les familles et les étudiants",
            action="Une aide alimentaire d'urgence, sous forme de bons d'achat dans les commerces"
            " locaux, a été mise en place pour les familles qui avaient perdu leurs revenus.",
            details=(
                "Les bons sont envoyés par SMS et utilisables dans une vingtaine de commerces"
                " partenaires.",
                "Les étudiants restés sur place ont été repérés avec l'aide des établissements"
                " d'enseignement supérieur.",
            ),
            results=(
                "Entre avril et juillet 2020, {familles} familles ont reçu l'aide alimentaire"
                " d'urgence.",
            ),
            tools=("sms-groupes", "formulaire-en-ligne"),
            difficulties=(
                "Il a fallu trouver un équilibre entre la rapidité de l'aide et le contrôle des"
                " situations.",
            ),
            lessons=(
                "Une aide d'urgence doit être simple à demander ; les vérifications peuvent"
                " venir après.",
            ),
        ),
        Initiative(
            title="Simplifier les demandes d'aide facultative",
            action="Les demandes d'aide facultative peuvent désormais se faire en ligne, avec un"
            " formulaire court et l'envoi des justificatifs en photo.",
            details=(
                "Les justificatifs peuvent être photographiés avec un téléphone, ce qui simplifie"
                " la vie des personnes sans scanner.",
                "Un agent rappelle les personnes dont le dossier est incomplet, au lieu de le"
                " rejeter.",
            ),
            results=(
                "Le délai de traitement des demandes est passé de trois semaines à cinq jours.",
            ),
            tools=("formulaire-en-ligne", "teleservices"),
            difficulties=(
                "Les photos de justificatifs étaient parfois illisibles, prises de travers ou"
                " dans la pénombre.",
            ),
            lessons=(
                "Un court guide illustré pour photographier un document a réglé une bonne"
                " partie du problème.",
            ),
        ),
        Initiative(
            title="Un guichet unique pour l'aide d'urgence",
            action="Nous avons ouvert un guichet unique, physique et téléphonique, pour orienter"
            " chacun vers la bonne aide : {ccas}, département, caisse d'allocations familiales,"
            " associations.",
            details=(
                "Les agents du guichet disposent d'un annuaire partagé des aides et des"
                " interlocuteurs, mis à jour chaque semaine.",
                "Chaque demande est suivie jusqu'à ce que la personne ait obtenu une réponse.",
            ),
            results=(
                "Le guichet a reçu plus de {appels} demandes la première année, dont un tiers de"
                " personnes inconnues des services sociaux.",
            ),
            tools=("gestion-de-la-relation-usager", "suite-collaborative"),
            difficulties=(
                "Les partenaires n'avaient pas tous les mêmes horaires, et il était parfois"
                " impossible de passer le relais le jour même.",
            ),
            lessons=(
                "Un annuaire partagé et tenu à jour est l'outil le plus utile d'un guichet unique.",
            ),
        ),
        Initiative(
            title="Les travailleurs sociaux équipés pour suivre les familles à distance",
            action="Les travailleurs sociaux ont reçu des téléphones et des ordinateurs portables"
            " pour continuer à suivre les familles depuis chez eux.",
            details=(
                "Les dossiers sont accessibles à distance par une connexion sécurisée.",
                "Une réunion d'équipe quotidienne permet de partager les situations les plus"
                " inquiétantes.",
            ),
            results=(
                "Toutes les familles suivies ont été contactées au moins une fois par semaine.",
            ),
            tools=("ordinateurs-portables", "vpn", "visioconference"),
            difficulties=(
                "Le secret professionnel imposait des précautions qu'il a fallu organiser en"
                " urgence avec les outils à distance.",
            ),
            lessons=(
                "Des outils sûrs, choisis avec le délégué à la protection des données, évitent"
                " les solutions bricolées.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "Le registre était incomplet, avec beaucoup de numéros faux ou obsolètes.",
        "Beaucoup de personnes en difficulté n'avaient jamais eu affaire aux services sociaux et"
        " ne savaient pas à qui s'adresser.",
        "Au téléphone, on ne mesure pas toujours la gravité d'une situation.",
        "Les agents ont fait face à une grande détresse psychologique, sans toujours être formés"
        " pour y répondre.",
        "Le partage d'informations entre partenaires s'est heurté à des questions de"
        " confidentialité.",
    ),
    lessons=(
        "Un registre des personnes vulnérables se tient à jour toute l'année, pas au moment de"
        " la crise.",
        "Un appel régulier, même court, rassure énormément les personnes isolées.",
        "Simplifier un formulaire d'aide profite à tout le monde, y compris aux agents qui"
        " l'instruisent.",
        "Il faut prévoir un soutien psychologique pour les agents exposés à des situations"
        " difficiles.",
    ),
    tools=("formulaire-en-ligne", "standard-telephonique-dematerialise", "sms-groupes"),
    partners=(
        "{ccas}",
        "le conseil départemental",
        "la caisse d'allocations familiales",
        "les Restos du cœur",
        "le Secours populaire",
        "la banque alimentaire",
        "les bailleurs sociaux",
    ),
)

DIGITAL_INCLUSION = Bank(
    initiatives=(
        Initiative(
            title="Des tablettes pour les résidents des EHPAD",
            action="Nous avons prêté des tablettes aux établissements pour personnes âgées du"
            " territoire pour que les résidents puissent voir leurs proches en visio pendant la"
            " fermeture des visites.",
            details=(
                "Les tablettes sont préparées avec une seule application de visio et les"
                " contacts déjà enregistrés, pour que les résidents n'aient rien à régler.",
                "Les familles réservent un créneau auprès de l'établissement, qui installe le"
                " résident au calme.",
            ),
            results=(
                "Les équipes des établissements ont organisé plus de {n_big} appels vidéo entre"
                " résidents et familles.",
            ),
            tools=("tablettes", "visioconference"),
            difficulties=(
                "Les soignants, déjà débordés, avaient peu de temps pour installer les"
                " résidents devant la tablette.",
            ),
            lessons=(
                "Un bénévole ou un jeune en service civique pour les appels vidéo soulage"
                " beaucoup les équipes.",
            ),
        ),
        Initiative(
            title="Une permanence téléphonique d'aide aux démarches en ligne",
            action="Une ligne d'aide aux démarches en ligne a été ouverte : un médiateur"
            " numérique guide pas à pas les personnes qui doivent remplir une attestation, un"
            " dossier ou une demande d'aide.",
            details=(
                "Avec l'accord de la personne, le médiateur peut prendre la main à distance sur"
                " son ordinateur pour l'aider à remplir un formulaire.",
                "Les horaires ont été élargis au samedi matin, pour les personnes qui travaillent.",
            ),
            results=(
                "La ligne a reçu {appels} appels, beaucoup liés aux attestations de sortie et aux"
                " démarches auprès de la CAF.",
            ),
            tools=("standard-telephonique-dematerialise", "teleservices"),
            difficulties=(
                "Certaines démarches à distance exigent les identifiants de la personne, ce qui"
                " pose problème.",
            ),
            lessons=(
                "Fixez une règle claire : le médiateur guide, il ne saisit jamais un mot de"
                " passe à la place de la personne.",
            ),
        ),
        Initiative(
            title="Des médiateurs numériques dans les quartiers",
            action="Deux médiateurs numériques interviennent désormais dans les quartiers"
            " prioritaires, au pied des immeubles et dans les centres sociaux.",
            details=(
                "Un accueil sans rendez-vous a lieu deux demi-journées par semaine à l'espace"
                " France services.",
                "Les médiateurs tiennent aussi un stand au marché, une fois par mois.",
            ),
            results=("Près de {participants} personnes ont été accompagnées la première année.",),
            tools=("ordinateurs-portables", "cles-4g", "teleservices"),
            difficulties=(
                "Les permanences au pied des immeubles dépendent de la météo et d'une connexion"
                " mobile correcte.",
            ),
            lessons=(
                "Un lieu fixe et un horaire régulier aident les habitants à prendre l'habitude"
                " de venir.",
            ),
        ),
        Initiative(
            title="Nos ordinateurs reconditionnés pour les familles",
            action="Les ordinateurs remplacés dans nos services ont été reconditionnés par une"
            " entreprise d'insertion et donnés à des familles qui n'en avaient pas.",
            details=(
                "Les familles ont été repérées par les écoles, les centres sociaux et les"
                " travailleurs sociaux.",
                "Chaque ordinateur est remis avec une heure de prise en main et un accès à"
                " internet pour trois mois.",
            ),
            results=("En un an, {equipements} ordinateurs ont été remis à des familles.",),
            tools=("ordinateurs-portables", "cles-4g"),
            difficulties=(
                "Des familles n'avaient pas de connexion, et l'ordinateur seul ne leur servait"
                " à rien.",
            ),
            lessons=("Donnez l'ordinateur avec un accès à internet, au moins pour quelques mois.",),
        ),
        Initiative(
            title="Des ateliers numériques pour les seniors, en petits groupes",
            action="À la reprise, des ateliers numériques pour les seniors ont été organisés par"
            " groupes de quatre, avec masque et matériel désinfecté.",
            details=(
                "Les ateliers partent de besoins concrets : prendre un rendez-vous médical,"
                " appeler ses petits-enfants en vidéo, repérer un courriel frauduleux.",
                "Chaque participant repart avec une fiche pratique imprimée en gros caractères.",
            ),
            results=(
                "Depuis l'été 2020, près de {participants} seniors ont suivi au moins un atelier.",
            ),
            tools=("tablettes", "visioconference"),
            difficulties=(
                "Les listes d'attente se sont allongées, faute de pouvoir accueillir plus de"
                " quatre personnes à la fois.",
            ),
            lessons=(
                "Partir des besoins concrets des participants marche mieux qu'un programme fixé"
                " à l'avance.",
            ),
        ),
        Initiative(
            title="Un pass numérique pour se former près de chez soi",
            action="Nous avons distribué des pass numériques, des chèques qui donnent droit à des"
            " heures de formation dans des lieux de médiation labellisés.",
            details=(
                "Les pass sont remis par les travailleurs sociaux, les agents d'accueil et les"
                " conseillers emploi.",
                "Chaque carnet couvre une dizaine d'heures d'accompagnement.",
            ),
            results=(
                "Près de {pct} des pass distribués ont été utilisés, un taux bien supérieur à nos"
                " craintes.",
            ),
            tools=("teleservices", "site-internet"),
            difficulties=(
                "Les lieux de médiation labellisés étaient rares et loin de chez certains"
                " habitants.",
            ),
            lessons=(
                "Faire remettre les pass par des professionnels qui connaissent les personnes"
                " augmente leur utilisation.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "Beaucoup de personnes avaient un appareil, mais pas de connexion, ou un forfait"
        " téléphonique trop limité.",
        "Les médiateurs numériques sont difficiles à recruter, et leurs postes reposent souvent"
        " sur des financements temporaires.",
        "Certaines personnes avaient honte de dire qu'elles ne savaient pas utiliser internet et"
        " ne se sont pas manifestées.",
        "Le reconditionnement des ordinateurs a pris plus de temps que prévu, notamment pour"
        " effacer les données de façon sûre.",
        "Les consignes sanitaires ont obligé à réduire fortement la taille des groupes.",
    ),
    lessons=(
        "Donner un appareil ne suffit pas : sans accompagnement, une bonne partie reste dans son"
        " carton.",
        "Le téléphone reste le premier outil d'inclusion numérique : c'est par lui que les gens"
        " nous joignent.",
        "Les personnes en difficulté se repèrent par les partenaires de proximité, pas par une"
        " campagne d'affichage.",
        "Les médiateurs doivent être là où les gens vont déjà : centres sociaux, marchés,"
        " bibliothèques.",
    ),
    tools=("tablettes", "ordinateurs-portables", "teleservices"),
    partners=(
        "une entreprise d'insertion",
        "les centres sociaux",
        "l'espace France services",
        "les EHPAD du territoire",
        "une association de médiation numérique",
        "le conseil départemental",
    ),
)

ASSOCIATIONS = Bank(
    initiatives=(
        Initiative(
            title="Une plateforme pour rapprocher bénévoles et associations",
            action="Dès la fin mars 2020, nous avons ouvert une plateforme de bénévolat où les"
            " habitants volontaires s'inscrivent et où les associations publient leurs besoins.",
            details=(
                "Chaque bénévole signe une charte et suit une courte formation : gestes"
                " barrières, confidentialité, limites de son rôle.",
                "Les missions proposées sont simples : courses, appels téléphoniques, aide aux"
                " devoirs à distance, couture de masques.",
            ),
            results=(
                "En trois semaines, {benevoles} bénévoles se sont inscrits, bien plus que nos"
                " besoins.",
            ),
            tools=("plateforme-de-benevolat", "formulaire-en-ligne"),
            difficulties=(
                "Vérifier les inscrits et leur trouver une mission a pris bien plus de temps"
                " que prévu.",
            ),
            lessons=(
                "Désignez une personne chargée de répondre aux bénévoles sous quarante-huit"
                " heures.",
            ),
        ),
        Initiative(
            title="Les clubs sportifs appellent leurs adhérents les plus âgés",
            action="Nous avons demandé aux clubs sportifs et aux associations culturelles"
            " d'appeler leurs adhérents âgés ou isolés, avec une fiche de repérage commune.",
            details=(
                "Les situations préoccupantes étaient transmises {au_ccas} par un formulaire"
                " sécurisé.",
                "Les dirigeants de clubs ont reçu une courte formation à l'écoute téléphonique.",
            ),
            results=("Les clubs ont passé près de {appels} appels entre avril et juin 2020.",),
            tools=("formulaire-en-ligne", "visioconference"),
            difficulties=(
                "Certains clubs n'avaient pas les coordonnées à jour de leurs adhérents.",
            ),
            lessons=(
                "Les clubs connaissent leurs adhérents mieux que personne : c'est un réseau de"
                " vigilance à entretenir.",
            ),
        ),
        Initiative(
            title="Soutenir les associations privées de leurs événements",
            action="{Collectivite} a maintenu toutes les subventions aux associations en 2020,"
            " même quand leurs manifestations étaient annulées, et ouvert un fonds d'urgence pour"
            " les plus fragiles.",
            details=(
                "Un questionnaire en ligne a permis aux associations de dire leurs difficultés"
                " financières et leurs besoins.",
                "Un agent de la vie associative fait le lien entre les associations et les"
                " services pour lever les obstacles administratifs.",
            ),
            results=("Au total, {associations} associations ont bénéficié du fonds d'urgence.",),
            tools=("questionnaire-en-ligne", "teleservices"),
            difficulties=(
                "Des associations ont hésité à demander l'aide d'urgence, de peur de paraître"
                " mal gérées.",
            ),
            lessons=(
                "Maintenir les subventions a évité la disparition d'associations et préservé"
                " des emplois.",
            ),
        ),
        Initiative(
            title="Des appels de convivialité assurés par des bénévoles",
            action="Une vingtaine de bénévoles formés par {ccas} passent chaque semaine des appels"
            " de convivialité aux personnes seules qui le souhaitent.",
            details=(
                "Chaque bénévole suit les mêmes personnes, pour qu'un lien de confiance"
                " s'installe.",
                "Un point mensuel avec une psychologue permet aux bénévoles de partager ce"
                " qu'ils entendent.",
            ),
            results=("Plus de {seniors} personnes reçoivent encore un appel chaque semaine.",),
            tools=("standard-telephonique-dematerialise", "plateforme-de-benevolat"),
            difficulties=(
                "Quelques bénévoles se sont retrouvés démunis face à des personnes en grande"
                " détresse.",
            ),
            lessons=(
                "Un temps d'échange régulier entre bénévoles, avec un professionnel, évite"
                " l'épuisement.",
            ),
        ),
        Initiative(
            title="Coordonner l'aide alimentaire entre associations",
            action="Les associations d'aide alimentaire se réunissent chaque semaine en visio avec"
            " nos services pour répartir les demandes et éviter les doublons.",
            details=(
                "Un tableau partagé recense les familles suivies par chaque association, avec"
                " leur accord.",
                "Les dons des entreprises sont répartis selon les stocks de chacun.",
            ),
            results=(
                "Aucune famille signalée n'est restée plus de quarante-huit heures sans colis.",
            ),
            tools=("visioconference", "suite-collaborative"),
            difficulties=(
                "Les associations n'avaient pas toutes les mêmes règles d'accès, ce qui"
                " compliquait l'orientation des familles.",
            ),
            lessons=(
                "Une liste partagée des familles aidées, avec leur accord, évite les doublons"
                " et les oublis.",
            ),
        ),
        Initiative(
            title="Faire vivre les associations à distance",
            action="Nous avons prêté aux associations un compte de visioconférence et proposé des"
            " formations pour tenir leurs assemblées générales à distance.",
            details=(
                "Les formations durent une heure et sont animées par un agent du service"
                " informatique.",
                "Un guide explique comment organiser un vote à distance en respectant les statuts.",
            ),
            results=("Plus de {n_mid} assemblées générales se sont tenues à distance en 2020.",),
            tools=("visioconference", "questionnaire-en-ligne"),
            difficulties=(
                "Les statuts de nombreuses associations ne prévoyaient pas de vote à distance.",
            ),
            lessons=(
                "Un modèle de procès-verbal et un guide pas à pas ont rassuré les présidents"
                " d'association.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "L'élan des bénévoles a été immense au début, puis beaucoup ont repris le travail en mai"
        " et il a fallu trouver de nouveaux volontaires.",
        "Certaines associations ont perdu une grande partie de leurs bénévoles, souvent âgés et"
        " donc à risque.",
        "Coordonner des associations aux habitudes différentes demande du temps et de la"
        " diplomatie.",
        "Des personnes pleines de bonne volonté ont proposé leur aide sans cadre, ce qui a"
        " parfois semé la confusion chez les habitants.",
        "Le numérique a sauvé une partie de la vie associative, mais les petites associations"
        " sans outil sont restées à l'écart.",
    ),
    lessons=(
        "Les associations sont les premiers relais de proximité : les soutenir pendant la crise,"
        " c'est préserver ce réseau pour la suite.",
        "Une plateforme de bénévolat n'a de sens que si quelqu'un répond vite aux inscrits.",
        "Il faut encadrer l'engagement spontané sans le décourager : une charte simple suffit"
        " souvent.",
        "Une réunion de coordination hebdomadaire évite que deux associations aident la même"
        " famille pendant qu'une autre reste sans aide.",
    ),
    tools=("plateforme-de-benevolat", "visioconference", "suite-collaborative"),
    partners=(
        "les associations caritatives",
        "les clubs sportifs",
        "{ccas}",
        "la maison des associations",
        "la Croix-Rouge française",
        "le Secours catholique",
    ),
)

DIGITAL_EDUCATION = Bank(
    initiatives=(
        Initiative(
            title="Des ordinateurs prêtés aux élèves sans équipement",
            action="Avec les directeurs d'école, nous avons recensé les élèves sans ordinateur ni"
            " tablette à la maison, puis prêté {equipements} appareils aux familles concernées.",
            details=(
                "Les appareils ont été remis en mains propres par les agents des écoles, avec une"
                " convention de prêt signée par les parents.",
                "Ils sont livrés avec un contrôle parental et les applications utilisées par les"
                " enseignants.",
            ),
            results=(
                "Au deuxième confinement, aucun élève repéré comme non équipé n'était encore"
                " sans matériel.",
            ),
            tools=("ordinateurs-portables", "tablettes"),
            difficulties=(
                "Une partie des appareils est revenue abîmée, et leur réparation n'était pas"
                " prévue au budget.",
            ),
            lessons=("Prévoyez dès l'achat une réserve d'appareils et un budget de réparation.",),
        ),
        Initiative(
            title="Des animations périscolaires en ligne",
            action="Les animateurs du périscolaire ont proposé chaque jour des activités en"
            " ligne : lectures, défis sportifs, ateliers de cuisine filmés.",
            details=(
                "Les activités étaient publiées sur le blog des accueils de loisirs, avec une"
                " version imprimable pour les familles sans internet.",
                "Les enfants envoyaient photos et dessins, publiés chaque vendredi avec l'accord"
                " des parents.",
            ),
            results=("Près de {participants} enfants ont participé à au moins un défi.",),
            tools=("site-internet", "reseaux-sociaux"),
            difficulties=(
                "Les animateurs ont dû apprendre à filmer et à monter des vidéos en quelques"
                " jours.",
            ),
            lessons=(
                "Les activités simples, faisables avec ce qu'on a à la maison, ont eu le plus"
                " de succès.",
            ),
        ),
        Initiative(
            title="L'espace numérique de travail enfin adopté dans les écoles",
            action="Pendant la fermeture des écoles, nous avons généralisé l'espace numérique de"
            " travail dans toutes les écoles élémentaires, en formant les enseignants volontaires"
            " et en accompagnant les familles.",
            details=(
                "Les parents ont été formés par petits groupes, à l'école ou en visio, pour créer"
                " leur compte et trouver les devoirs.",
                "Un référent numérique de {collectivite} répond aux enseignants chaque après-midi.",
            ),
            results=(
                "Près de {pct} des familles utilisent désormais l'espace numérique de travail"
                " chaque semaine.",
            ),
            tools=("espace-numerique-de-travail", "visioconference"),
            difficulties=(
                "Les identifiants des familles se perdaient, et les mots de passe oubliés ont"
                " occupé une bonne partie de l'assistance.",
            ),
            lessons=(
                "Remettez les identifiants sur papier, en main propre, avec un numéro à appeler"
                " en cas de problème.",
            ),
        ),
        Initiative(
            title="Des clés 4G pour les familles sans connexion",
            action="Des clés 4G ont été fournies aux familles sans connexion pour que les enfants"
            " puissent suivre la classe à distance.",
            details=(
                "Les familles ont été repérées par les enseignants, qui voyaient des élèves ne"
                " jamais se connecter.",
                "Chaque clé est prêtée pour trois mois, renouvelables si besoin.",
            ),
            results=(
                "Au total, {eleves} élèves ont bénéficié d'une clé ou d'un appareil pendant le"
                " premier confinement.",
            ),
            tools=("cles-4g", "espace-numerique-de-travail"),
            difficulties=(
                "La couverture mobile était insuffisante dans certains quartiers, où les clés"
                " ne servaient presque à rien.",
            ),
            lessons=("Vérifiez la couverture du réseau au domicile avant de prêter une clé.",),
        ),
        Initiative(
            title="Des classes équipées pour suivre le cours à distance",
            starts=(date(2020, 9, 1), date(2020, 12, 15)),
            action="Nous avons équipé des classes de caméras et de micros pour que les élèves"
            " absents puissent suivre le cours depuis chez eux.",
            details=(
                "Les commandes sont passées par la centrale d'achat du département pour gagner"
                " du temps.",
                "Les enseignants ont choisi eux-mêmes le matériel après un essai dans deux"
                " classes pilotes.",
            ),
            results=("Une vingtaine de classes étaient équipées à la rentrée de janvier 2021.",),
            tools=("visioconference", "ordinateurs-portables"),
            difficulties=(
                "Le son posait problème : les élèves à distance entendaient mal les questions"
                " de leurs camarades.",
            ),
            lessons=("Un bon micro compte davantage qu'une bonne caméra.",),
        ),
        Initiative(
            title="Accompagner les parents dans l'école à la maison",
            action="Un guide pour les parents, sur papier et en ligne, explique comment"
            " accompagner un enfant dans le travail à distance.",
            details=(
                "Chaque semaine, les directeurs signalaient les élèves qui ne donnaient plus de"
                " nouvelles, et un agent appelait les familles.",
                "Le guide existe en plusieurs langues, traduites par des parents bénévoles.",
            ),
            results=("Le guide a été distribué à toutes les familles des écoles élémentaires.",),
            tools=("site-internet", "espace-numerique-de-travail"),
            difficulties=(
                "Le guide papier est arrivé tard dans les familles, après plusieurs semaines de"
                " classe à distance.",
            ),
            lessons=(
                "Préparer ce genre de guide à froid permet de le distribuer dès le premier jour.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "Recenser les besoins a été difficile : des familles n'osaient pas dire qu'elles"
        " n'avaient pas d'ordinateur.",
        "Un ordinateur pour une fratrie de trois ne suffit pas quand tous ont classe en même"
        " temps.",
        "Les enseignants utilisaient des outils différents d'une classe à l'autre, ce qui perdait"
        " les familles.",
        "Les tablettes étaient en rupture chez les fournisseurs, et les délais de livraison ont"
        " dépassé six semaines.",
        "Les parents maîtrisaient mal les outils, et les enfants se retrouvaient seuls face aux"
        " devoirs en ligne.",
    ),
    lessons=(
        "Le matériel ne fait pas tout : il faut aussi une connexion, un accompagnement des"
        " parents et un lien régulier avec l'école.",
        "Choisir un outil commun avec l'éducation nationale évite de multiplier les plateformes"
        " pour les familles.",
        "Recenser l'équipement des familles à chaque rentrée permettrait de réagir tout de suite.",
        "Le prêt avec convention responsabilise les familles : le matériel nous est presque"
        " entièrement revenu.",
    ),
    tools=("ordinateurs-portables", "tablettes", "espace-numerique-de-travail"),
    partners=(
        "l'éducation nationale",
        "les directeurs d'école",
        "les associations de parents d'élèves",
        "l'inspection de circonscription",
        "la caisse d'allocations familiales",
    ),
)

PUBLIC_HEALTH = Bank(
    initiatives=(
        Initiative(
            title="Un centre de vaccination joignable en ligne et par téléphone",
            starts=(date(2021, 1, 11), date(2021, 1, 25)),
            action="En janvier 2021, {collectivite} a ouvert un centre de vaccination avec les"
            " professionnels de santé du territoire, et une plateforme téléphonique pour les"
            " personnes qui ne pouvaient pas réserver en ligne.",
            details=(
                "Les créneaux sont ouverts par vagues, selon les doses annoncées chaque semaine"
                " par l'agence régionale de santé.",
                "Les personnes qui réservent par téléphone reçoivent un SMS de rappel la veille"
                " du rendez-vous.",
                "Les agents d'accueil ont été formés par les infirmiers pour répondre aux"
                " questions les plus fréquentes.",
            ),
            results=(
                "Le centre a réalisé plus de {rdv} injections en deux mois.",
                "La plateforme téléphonique a reçu jusqu'à {appels} appels certains jours de"
                " janvier 2021.",
            ),
            tools=(
                "prise-de-rendez-vous-en-ligne",
                "standard-telephonique-dematerialise",
                "sms-groupes",
            ),
            difficulties=(
                "Des créneaux ont été pris par des personnes venues de loin, au détriment"
                " d'habitants prioritaires.",
            ),
            lessons=(
                "Réservez une partie des créneaux, par téléphone, aux publics les plus fragiles"
                " du territoire.",
            ),
        ),
        Initiative(
            title="Une distribution de masques organisée par quartier",
            action="La distribution de masques aux habitants a été organisée par quartier, avec un"
            " retrait sur créneau réservé en ligne ou par téléphone.",
            details=(
                "Les masques se retirent sur justificatif de domicile, un lot par foyer.",
                "Les personnes qui ne pouvaient pas se déplacer ont été livrées par des bénévoles.",
            ),
            results=("Dans les dix jours, {pct} des foyers sont venus chercher leurs masques.",),
            tools=("prise-de-rendez-vous-en-ligne", "reseaux-sociaux"),
            difficulties=(
                "Des habitants venus sans justificatif ont mal compris qu'on ne puisse pas les"
                " servir.",
            ),
            lessons=(
                "Annoncez clairement les pièces à apporter, sur tous les canaux, plusieurs"
                " jours avant.",
            ),
        ),
        Initiative(
            title="Un centre de dépistage installé en quelques jours",
            action="Nous avons prêté un gymnase et des agents pour installer un centre de"
            " dépistage, avec les laboratoires et l'agence régionale de santé.",
            details=(
                "Les services techniques ont aménagé un circuit à sens unique et des box"
                " séparés en quarante-huit heures.",
                "Les horaires étaient publiés chaque matin sur le site et les réseaux sociaux.",
            ),
            results=(
                "Au plus fort de la deuxième vague, le centre a réalisé jusqu'à {n_big} tests"
                " par semaine.",
            ),
            tools=("site-internet", "reseaux-sociaux"),
            difficulties=("Les files d'attente dehors posaient problème par mauvais temps.",),
            lessons=(
                "Prévoyez un abri et des créneaux réservés aux personnes âgées ou handicapées.",
            ),
        ),
        Initiative(
            title="Répondre aux fausses informations sur le virus",
            action="Pour répondre aux rumeurs sur le virus et les vaccins, nous avons publié"
            " chaque semaine une foire aux questions relue par des médecins du territoire.",
            details=(
                "Un médecin coordonnateur valide chaque semaine les messages avant leur diffusion.",
                "Les questions viennent des habitants eux-mêmes, par un formulaire en ligne ou"
                " au standard.",
            ),
            results=(
                "La foire aux questions a été lue plus de {n_big} fois et reprise par la presse"
                " locale.",
            ),
            tools=("site-internet", "reseaux-sociaux", "formulaire-en-ligne"),
            difficulties=(
                "Certaines rumeurs revenaient sans cesse, quelles que soient nos réponses.",
            ),
            lessons=(
                "Répondre vite, avec des mots simples et la caution d'un médecin du coin,"
                " marche mieux que de longs démentis.",
            ),
        ),
        Initiative(
            title="Appeler les aînés pour les aider à se faire vacciner",
            starts=(date(2021, 1, 11), date(2021, 2, 1)),
            action="Les agents {du_ccas} ont appelé les personnes de plus de 75 ans pour leur"
            " proposer un rendez-vous de vaccination et, si besoin, un transport.",
            details=(
                "Un minibus gratuit conduit au centre les personnes sans moyen de transport.",
                "Les listes ont été constituées à partir du registre des personnes vulnérables"
                " et des fichiers {du_ccas}.",
            ),
            results=(
                "Les personnes appelées ont été vaccinées en moyenne trois semaines plus tôt que"
                " les autres personnes de leur âge.",
            ),
            tools=("standard-telephonique-dematerialise", "prise-de-rendez-vous-en-ligne"),
            difficulties=(
                "Beaucoup de numéros étaient ceux d'un proche, qu'il fallait d'abord joindre.",
            ),
            lessons=(
                "Proposer le transport avec le rendez-vous lève le principal obstacle pour les"
                " plus âgés.",
            ),
        ),
        Initiative(
            title="La téléconsultation dans un quartier sans médecin",
            action="Une cabine de téléconsultation a été installée dans la maison de santé d'un"
            " quartier où plusieurs médecins étaient partis à la retraite.",
            details=(
                "Une infirmière accueille les patients et les aide à utiliser les appareils de"
                " mesure.",
                "Les consultations sont prises en charge comme une consultation classique.",
            ),
            results=("Près de {participants} consultations ont eu lieu les six premiers mois.",),
            tools=("teleconsultation", "prise-de-rendez-vous-en-ligne"),
            difficulties=(
                "Des patients se méfiaient d'une consultation sans médecin dans la pièce.",
            ),
            lessons=(
                "La présence d'une infirmière aux côtés du patient rend la téléconsultation"
                " acceptable pour beaucoup.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "Le nombre de doses changeait d'une semaine à l'autre, et il a fallu annuler des"
        " rendez-vous déjà pris.",
        "Les plateformes nationales de prise de rendez-vous ont été saturées les premiers jours.",
        "Mobiliser des médecins et des infirmiers épuisés par des mois de crise a été délicat.",
        "Les personnes âgées vivant seules étaient les plus difficiles à joindre, alors qu'elles"
        " étaient prioritaires.",
        "Les lignes téléphoniques ont été submergées dès l'annonce de l'ouverture du centre.",
    ),
    lessons=(
        "Un numéro de téléphone tenu par des humains reste indispensable à côté de la"
        " réservation en ligne.",
        "Associer les professionnels de santé libéraux dès la conception du centre évite bien"
        " des tensions.",
        "Les fichiers de la collectivité, registres et listes {du_ccas}, sont précieux pour"
        " aller vers les publics prioritaires.",
        "Dire franchement combien de doses sont disponibles, même quand elles manquent,"
        " préserve la confiance.",
    ),
    tools=("prise-de-rendez-vous-en-ligne", "sms-groupes", "site-internet"),
    partners=(
        "l'agence régionale de santé",
        "la communauté professionnelle territoriale de santé",
        "les infirmiers libéraux",
        "les pharmaciens",
        "les laboratoires d'analyses",
        "le centre hospitalier",
        "les sapeurs-pompiers",
    ),
)

COHESION_OTHER = Bank(
    initiatives=(
        Initiative(
            title="La médiathèque continue en ligne",
            action="Pendant les fermetures, la médiathèque a développé son offre en ligne :"
            " ressources numériques, lectures filmées, conseils des bibliothécaires sur les"
            " réseaux sociaux.",
            details=(
                "Les ressources numériques ont été ouvertes à tous les habitants, inscrits ou non.",
                "Une lecture filmée était publiée chaque mercredi pour les enfants.",
            ),
            results=(
                "Les prêts de ressources numériques ont été multipliés par quatre pendant le"
                " premier confinement.",
            ),
            tools=("site-internet", "reseaux-sociaux"),
            difficulties=(
                "Une partie des lecteurs habituels, âgés, n'a pas utilisé les ressources en ligne.",
            ),
            lessons=("Gardez un prêt sur rendez-vous à côté de l'offre numérique.",),
        ),
        Initiative(
            title="Des concerts au pied des immeubles, diffusés en direct",
            action="Le conservatoire a organisé des concerts dans les cours d'immeuble et devant"
            " les établissements pour personnes âgées, diffusés en direct.",
            details=(
                "Les élèves et les professeurs jouaient par petits groupes, à distance les uns"
                " des autres.",
                "Le programme était annoncé la veille aux résidents par les bailleurs.",
            ),
            results=(
                "Chaque concert a été suivi en ligne par {participants} personnes en moyenne.",
            ),
            tools=("diffusion-en-direct", "reseaux-sociaux"),
            difficulties=(
                "La diffusion en direct depuis l'extérieur dépendait d'une connexion mobile"
                " fragile.",
            ),
            lessons=(
                "Un repérage technique la veille évite bien des coupures le jour du concert.",
            ),
        ),
        Initiative(
            title="Garder le lien avec les jeunes du quartier",
            action="Les animateurs jeunesse ont gardé le contact avec les adolescents par les"
            " réseaux sociaux et des sessions de jeux en ligne encadrées.",
            details=(
                "Un animateur était joignable chaque après-midi par messagerie.",
                "Chaque semaine, un défi différent était proposé, à relever seul ou en équipe.",
            ),
            results=(
                "Plus de {participants} jeunes ont participé à au moins une activité en ligne.",
            ),
            tools=("reseaux-sociaux", "messagerie-instantanee", "visioconference"),
            difficulties=(
                "Les échanges en ligne ne remplaçaient pas la présence des animateurs dans le"
                " quartier.",
            ),
            lessons=(
                "Garder le contact, même en ligne, a facilité les retrouvailles à la réouverture.",
            ),
        ),
    ),
    details=(),
    difficulties=(
        "Les droits de diffusion des œuvres en ligne ont posé des questions juridiques"
        " inattendues.",
        "Les adolescents les plus en difficulté étaient aussi les moins joignables.",
    ),
    lessons=(
        "L'offre en ligne a élargi le public de nos équipements culturels, et nous allons la"
        " garder.",
        "Les animateurs ont besoin d'un cadre clair pour intervenir auprès des mineurs sur les"
        " réseaux sociaux.",
    ),
    tools=("reseaux-sociaux", "site-internet"),
    partners=(
        "la médiathèque",
        "le conservatoire",
        "les centres sociaux",
        "le service jeunesse",
    ),
)

THEMES: tuple[ThemeCorpus, ...] = (
    ThemeCorpus(
        subtopics=(CYBERSECURITY, CONTINUITY, TELEWORK, INTERMEDIARY_BODIES),
        other=ORGANISATION_OTHER,
    ),
    ThemeCorpus(
        subtopics=(SHORT_SUPPLY_CHAINS, LOCAL_PRODUCTION, HOME_DELIVERY, LOCAL_BUSINESSES),
        other=ECONOMY_OTHER,
    ),
    ThemeCorpus(
        subtopics=(
            RIGHTS_AND_SOCIAL_AID,
            DIGITAL_INCLUSION,
            ASSOCIATIONS,
            DIGITAL_EDUCATION,
            PUBLIC_HEALTH,
        ),
        other=COHESION_OTHER,
    ),
)

# ---------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------

# Context that may open an initiative, whatever its subject.
OPENERS: tuple[str, ...] = (
    "Le 16 mars 2020, à la veille du premier confinement, {collectivite} a réuni sa cellule de"
    " crise et fixé trois priorités : protéger les agents, maintenir les services essentiels, ne"
    " laisser personne sans réponse.",
    "Comme beaucoup de collectivités de notre taille, nous n'avions pas de plan prêt pour une"
    " crise aussi longue.",
    "Le premier confinement nous a pris de court, mais il a aussi révélé des capacités"
    " d'adaptation que nous ne soupçonnions pas.",
    "Notre territoire compte environ {pop} habitants, avec beaucoup de personnes âgées et des"
    " quartiers où l'accès au numérique reste limité.",
    "Le sujet était à l'étude avant la crise ; la crise sanitaire nous a obligés à passer de"
    " l'idée à la réalisation en quelques jours.",
    "À l'annonce du confinement, {elus} ont demandé à chaque service d'identifier ce qu'il"
    " pouvait continuer à faire, et comment.",
    "Ce projet est né d'un constat fait dès les premiers jours par les agents de terrain.",
    "Au deuxième confinement, à l'automne 2020, nous avons voulu tirer les leçons du printemps.",
    "Avec environ {pop} habitants et des moyens comptés, nous avons misé sur ce que nous avions"
    " de plus précieux : la proximité avec les habitants.",
    "Chez nous, la crise a servi d'accélérateur : des projets prévus sur plusieurs années ont"
    " démarré en quelques semaines.",
    "Nous avons voulu répondre vite, quitte à corriger en marchant.",
    "Tout est parti d'une demande des élus, qui relayaient les inquiétudes entendues sur le"
    " terrain.",
    "Dès la fin de la première semaine de confinement, les appels reçus par {siege} montraient"
    " un besoin que personne ne couvrait.",
    "{Executif} a confié le pilotage à un binôme élu-agent, avec une consigne simple : faire"
    " vite et rendre compte chaque semaine.",
    "Il y avait bien quelques outils en place, mais rien qui soit pensé pour une crise de cette"
    " ampleur.",
    "À {nom}, la fermeture de {siege} au public a été un choc, pour les habitants comme pour les"
    " agents.",
    "Rien de tout cela n'était prévu en février 2020.",
    "Au printemps 2020, nous étions comme toutes les collectivités : des services fermés, des"
    " agents inquiets et des habitants qui attendaient des réponses.",
    "Au départ, ce devait être une solution provisoire, pour quelques semaines.",
)

# Introduce the testimony's tools; {outils} lists their phrases.
TOOL_SENTENCES_ONE: tuple[str, ...] = (
    "Côté outils, nous nous sommes appuyés sur {outils}.",
    "Techniquement, rien de sophistiqué : {outils}, tout simplement.",
    "Le dispositif repose sur {outils}.",
    "Pour l'outil, nous avons choisi {outils}, sans chercher plus compliqué.",
)
TOOL_SENTENCES_MANY: tuple[str, ...] = (
    "Côté outils, nous nous sommes appuyés sur {outils}.",
    "Techniquement, rien de sophistiqué : {outils}.",
    "Le dispositif repose sur {outils}.",
    "Nous avons utilisé {outils}, en privilégiant des solutions déjà connues des agents.",
    "Pour les outils, nous avons combiné {outils}.",
    "Les outils retenus sont volontairement simples : {outils}.",
)

# May close an initiative.
CLOSERS: tuple[str, ...] = (
    "Le dispositif fonctionne toujours aujourd'hui.",
    "Le service s'est arrêté à l'été 2020, mais il pourrait reprendre en quelques jours.",
    "Nous réfléchissons à le rendre permanent au-delà de la crise.",
    "Le dispositif a été relancé au deuxième confinement, avec quelques ajustements.",
    "Un premier bilan a été présenté devant {conseil} en juin 2020.",
    "Une évaluation plus complète est prévue à la fin de l'année 2021.",
    "Le projet a mobilisé {n_small_txt} agents à temps partiel, pour un coût d'environ {budget}.",
    "D'autres collectivités du département nous ont depuis demandé comment nous avions fait.",
    "{Elus} ont décidé de l'inscrire au budget 2021.",
    "Le bilan est plutôt positif, même si tout n'a pas fonctionné du premier coup.",
    "Nous avons arrêté à la fin du premier confinement, faute de demandes.",
    "Cette expérience a nourri notre plan de continuité, révisé à l'automne 2020.",
    "Les retours des habitants ont été très majoritairement positifs.",
    "Nous partageons volontiers nos documents avec les collectivités intéressées.",
)

# Put before a detail sentence, lower-casing its first letter; "" keeps it as is.
DETAIL_CONNECTORS: tuple[str, ...] = (
    "",
    "",
    "",
    "",
    "Concrètement, ",
    "En pratique, ",
    "Par ailleurs, ",
)

# Put before the action of a second initiative in the same testimony.
SECOND_ACTION_CONNECTORS: tuple[str, ...] = (
    "En parallèle, ",
    "Dans le même temps, ",
    "Dans un second temps, ",
    "Autre volet du dispositif : ",
)

DIFFICULTY_CONNECTORS: tuple[str, ...] = (
    "",
    "",
    "",
    "Par ailleurs, ",
    "Autre difficulté : ",
    "De plus, ",
    "Surtout, ",
)

LESSON_CONNECTORS: tuple[str, ...] = (
    "",
    "",
    "",
    "Avec le recul, ",
    "Ce que nous retenons : ",
    "Surtout, ",
)

GENERIC_DIFFICULTIES: tuple[str, ...] = (
    "Tout s'est fait dans l'urgence, sans véritable cahier des charges, et nous avons dû"
    " reprendre plusieurs choses après coup.",
    "La charge de travail a reposé sur quelques agents très investis, qui ont fini la période"
    " épuisés.",
    "Nous avons manqué de temps pour mesurer ce qui fonctionnait vraiment.",
    "Les consignes nationales changeaient souvent, parfois du jour au lendemain.",
    "Rien n'était prévu au budget, et il a fallu voter une décision modificative en cours d'année.",
    "La communication vers les habitants les moins connectés a été notre point faible.",
    "Les délais de livraison du matériel ont retardé le démarrage de plusieurs semaines.",
    "Certains services ont eu du mal à travailler ensemble, chacun ayant ses propres urgences.",
    "Le faible débit dans une partie du territoire a limité l'usage des outils en ligne.",
    "Nous avons sous-estimé le temps qu'il faut pour accompagner les utilisateurs.",
    "Il a été difficile de tenir la mobilisation dans la durée, d'un confinement à l'autre.",
    "La protection des données personnelles n'a été abordée qu'après coup, alors qu'il aurait"
    " fallu y penser dès le départ.",
    "Nous avons dû choisir des outils très vite, sans comparer les offres, et certains contrats"
    " se sont révélés coûteux.",
    "L'information circulait mal entre la cellule de crise et les agents de terrain.",
    "Nous étions nombreux à découvrir les outils en même temps que les habitants que nous"
    " devions aider.",
    "Les premiers jours, personne ne savait vraiment qui décidait de quoi.",
)

GENERIC_LESSONS: tuple[str, ...] = (
    "Commencer petit, tester avec quelques utilisateurs, puis élargir.",
    "Des outils simples, que chacun sait utiliser sans longue formation, font la différence en"
    " temps de crise.",
    "Il faut écrire ce qui a été fait pendant la crise, sinon tout est à réinventer la fois"
    " suivante.",
    "Les meilleures idées sont venues des agents de terrain : il faut les écouter.",
    "Travailler avec les collectivités voisines nous a fait gagner du temps et de l'argent.",
    "Ne pas oublier les personnes sans internet : chaque service en ligne doit avoir son"
    " équivalent par téléphone ou au guichet.",
    "Prendre le temps d'un bilan à froid, quelques mois après, avec tous les acteurs.",
    "Un pilote clairement désigné, avec du temps dégagé pour le projet, change tout.",
    "Une solution imparfaite disponible tout de suite vaut mieux qu'une solution idéale dans"
    " trois mois.",
    "Partager nos expériences entre collectivités : beaucoup d'entre nous ont résolu les mêmes"
    " problèmes chacune de son côté.",
    "Dire aux habitants ce qui ne marche pas renforce leur confiance plus que cela ne l'abîme.",
    "Anticiper les achats de matériel : en temps de crise, tout le monde commande la même chose"
    " au même moment.",
    "Garder une trace des contacts noués pendant la crise : ce réseau sert encore aujourd'hui.",
    "Ne pas attendre d'avoir toutes les réponses pour communiquer.",
)

COST_TEMPLATES: tuple[str, ...] = (
    "{n_small_txt} agents à temps partiel, environ {budget}",
    "Équipe projet de {n_small} personnes ; coût : {budget} TTC",
    "{budget}, dont {pct_low} de subventions",
    "Pas de coût supplémentaire : temps d'agents redéployés",
    "Environ {budget} de matériel et un chargé de mission pendant {semaines} semaines",
    "Un agent à mi-temps pendant {semaines} semaines",
    "{budget} en 2020, puis un abonnement annuel",
)

# Common French given names and surnames, combined at random: fictional people.
GIVEN_NAMES: tuple[str, ...] = (
    "Camille",
    "Nathalie",
    "Isabelle",
    "Sandrine",
    "Céline",
    "Sophie",
    "Claire",
    "Aurélie",
    "Émilie",
    "Julie",
    "Laurence",
    "Valérie",
    "Hélène",
    "Christine",
    "Stéphanie",
    "Élodie",
    "Amandine",
    "Marion",
    "Anne",
    "Véronique",
    "Karine",
    "Fatima",
    "Samia",
    "Nadia",
    "Léa",
    "Pauline",
    "Thomas",
    "Nicolas",
    "Julien",
    "Sébastien",
    "Laurent",
    "Philippe",
    "Christophe",
    "Frédéric",
    "Olivier",
    "Stéphane",
    "David",
    "Jérôme",
    "Vincent",
    "Pierre",
    "François",
    "Guillaume",
    "Mathieu",
    "Damien",
    "Xavier",
    "Karim",
    "Mehdi",
    "Yannick",
    "Patrick",
    "Bruno",
    "Alain",
    "Romain",
)

SURNAMES: tuple[str, ...] = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Hamidi",
    "Benali",
    "Le Goff",
    "Le Gall",
    "Kerbrat",
    "Etcheverry",
)
