"""Whole sentences for every place that shortens report text (hand-out examples, the beamer's core): the beamer
cut examples at 'bijv.' and after a colon before one splitter served both."""

from __future__ import annotations

from app.text.sentences import sentences, whole_sentences
from app.ui.score_screen import core

SOTL = (
    "SOTL-beurzen geven docenten ruimte om hun eigen lespraktijk te onderzoeken (bijv. Wageningen University & "
    "Research en Universiteit Utrecht). Ze zijn een vorm van erkenning: docenten krijgen tijd."
)


def test_an_abbreviation_or_a_colon_does_not_end_a_sentence():
    assert sentences(SOTL) == [
        "SOTL-beurzen geven docenten ruimte om hun eigen lespraktijk te onderzoeken (bijv. Wageningen University & "
        "Research en Universiteit Utrecht).",
        "Ze zijn een vorm van erkenning: docenten krijgen tijd.",
    ]
    assert sentences("Initiatieven, o.a. Npuls en SURF. Tweede.") == ["Initiatieven, o.a. Npuls en SURF.", "Tweede."]


def test_whole_sentences_keeps_at_least_the_first_and_says_what_was_left_out():
    assert whole_sentences(SOTL, 40) == (sentences(SOTL)[0], True)
    assert whole_sentences(SOTL, 1_000) == (" ".join(sentences(SOTL)), False)


def test_the_beamers_core_ends_at_a_sentence_end_or_says_it_was_cut():
    text, cut = core(SOTL, 150)
    assert (text, cut) == (sentences(SOTL)[0], True)
    text, cut = core(SOTL, 100)  # one sentence longer than the room: cut at a word, with a mark
    assert cut and text.endswith(" …") and len(text) <= 102 and "(bijv. Wageningen" in text
    assert core("Kort.", 60) == ("Kort.", False)
