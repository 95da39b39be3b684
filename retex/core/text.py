"""Text helpers shared by the apps: search keys and safe Markdown."""

import re
import unicodedata

import markdown
import nh3

_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# Tags a consultation text may use once rendered from Markdown; anything else is stripped.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "hr",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def fold(text: str) -> str:
    """Lower-case, accent-free ASCII with words separated by single spaces.

    "Sète" -> "sete", "L'Haÿ-les-Roses" -> "l hay les roses", "Œuvre" -> "oeuvre".
    """
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


def fold_words(text: str) -> list[str]:
    folded = fold(text)
    return folded.split() if folded else []


def render_markdown(source: str) -> str:
    """Markdown to HTML, sanitised: organisers write it, but it is shown to everyone."""
    html = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_LEGAL_FORM_PREFIX = re.compile(
    r"^(communaute (de communes|d agglomeration|urbaine)|metropole|eurometropole"
    r"|etablissement public territorial)( (de la|de l|du|des|de|d))? "
)


def fold_without_legal_form(name: str) -> str:
    """The distinctive part of a group's name: "Communauté de communes du Pays de Gex" ->
    "pays de gex"; names without such a prefix give an empty string."""
    folded = fold(name)
    stripped = _LEGAL_FORM_PREFIX.sub("", folded)
    return stripped if stripped != folded else ""
