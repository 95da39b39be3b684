"""Differences between versions: word by word, said in words, never trusting the text."""

from django.utils import translation

from retex.moderation.diff import content_changes, text_diff


def test_changed_words_are_marked_and_announced():
    with translation.override("en"):
        diff = text_diff("Appeler Mme Durand au standard.", "Appeler le service au standard.")
    assert diff == (
        "Appeler "
        '<del><span class="visually-hidden">[removed: </span>Mme Durand</del>'
        '<span class="visually-hidden">]</span>'
        '<ins><span class="visually-hidden">[added: </span>le service</ins>'
        '<span class="visually-hidden">]</span>'
        " au standard."
    )


def test_nearby_changes_read_as_one_replacement():
    diff = text_diff("En une dizaine de jours, la ville", "En dix jours à peine, la ville")
    assert diff.count("<del>") == 1
    assert "une dizaine de jours,</del>" in diff
    assert "dix jours à peine,</ins>" in diff
    assert diff.endswith(" la ville")


def test_long_unchanged_stretches_are_cut_around_the_changes():
    words = " ".join(f"mot{n}" for n in range(200))
    diff = text_diff(f"{words} fin.", f"{words} final.", shorten=True)
    assert diff.startswith(" […] ")
    assert "mot0 " not in diff
    assert "mot199 " in diff
    assert "final.</ins>" in diff
    assert "mot0 " in text_diff(f"{words} fin.", f"{words} final.")


def test_the_text_is_escaped():
    diff = text_diff("<b>gras</b>", "<script>alert(1)</script>")
    assert "<script>" not in diff
    assert "&lt;script&gt;" in diff


def test_only_the_fields_that_changed_are_listed():
    before = {"title": "Marché", "initiative": "Texte", "themes": [1], "tools": ["Facebook"]}
    after = {"title": "Marché", "initiative": "Texte revu", "themes": [1, 2], "tools": ["Facebook"]}
    with translation.override("en"):
        changes = content_changes(
            before, after, theme_names={1: "Économie", 2: "Cohésion"}, subtopic_names={}
        )
    assert [(change.name, change.label) for change in changes] == [
        ("initiative", "The initiative"),
        ("themes", "Themes"),
    ]
    assert "Cohésion" in changes[1].diff
