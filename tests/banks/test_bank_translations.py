"""Translated bank texts (issue #17): a text may be {en: …, de: …}; reading keeps the English in the
content and the rest in a table on the version; export writes them back in place; the shipped
German version 3 is version 2 with the same keys, levels and scores."""

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from paydown import bankfile
from paydown.bankfile import translations

from banks import files
from banks.localize import Texts
from banks.models import BankVersion
from tests import factories
from tests.banks.bank_data import small_bank


def german_small_bank() -> dict:
    data = small_bank()
    data["name"] = {"en": data["name"], "de": "Winziger Katalog"}
    category = data["categories"][0]
    category["name"] = {"en": category["name"], "de": "Daten"}
    question = category["questions"][0]
    question["text"] = {"en": question["text"], "de": "Wie wird data-a behandelt?"}
    question["levels"][1]["label"] = {"en": question["levels"][1]["label"], "de": "Etwas"}
    question["remediation"][0]["advice"] = {
        "en": question["remediation"][0]["advice"],
        "de": "Fangen Sie an.",
    }
    return data


def test_split_keeps_the_english_and_tables_the_rest_and_join_gives_the_file_back():
    data = german_small_bank()
    written = copy.deepcopy(data)

    english, table, problems = translations.split(data)

    assert problems == []
    assert (
        english["categories"][0]["questions"][0]["text"]
        == small_bank()["categories"][0]["questions"][0]["text"]
    )
    assert table["questions/data-a"] == {"de": {"text": "Wie wird data-a behandelt?"}}
    assert table["levels/data-a/1"] == {"de": {"label": "Etwas"}}
    assert table["remediation/data-a/1"] == {"de": {"advice": "Fangen Sie an."}}
    assert translations.join(english, table) == written


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ({"de": "Nur Deutsch"}, "translations need the English text under 'en'"),
        ({"en": "Yes", "de": 3}, "a translation must map a language code to a text"),
        ({"en": "Yes", "not a code!": "x"}, "a translation must map a language code to a text"),
    ],
)
def test_a_malformed_translation_is_a_clear_problem(text, problem):
    data = small_bank()
    data["categories"][0]["questions"][0]["text"] = text

    errors = bankfile.validation.validate(data)

    assert any(problem in error and "questions/data-a: text" in error for error in errors)


def test_an_admin_import_of_a_malformed_translation_is_a_400_that_saves_nothing(client, db):
    client = factories.login_curator(client)
    data = small_bank()
    data["categories"][0]["questions"][0]["why"] = {"fr": "Pourquoi"}
    upload = SimpleUploadedFile("bad.yaml", files.dump(data).encode())

    response = client.post(reverse("admin:banks_bankversion_import"), {"file": upload})

    assert response.status_code == 400
    assert "translations need the English text" in response.text
    assert not BankVersion.objects.exists()


def test_import_stores_the_table_and_export_writes_the_file_back(db):
    version = files.import_data(german_small_bank())

    assert version.questions.get(key="data-a").text == "How is data-a handled?"
    assert version.translations["categories/data"] == {"de": {"name": "Daten"}}
    exported = bankfile.parse(files.export_version(version))
    assert exported["categories"][0]["questions"][0]["text"] == {
        "en": "How is data-a handled?",
        "de": "Wie wird data-a behandelt?",
    }
    assert exported["name"] == {"en": "Tiny bank", "de": "Winziger Katalog"}


def test_texts_put_the_active_languages_words_on_the_content_and_english_stays_otherwise(db):
    version = files.import_data(german_small_bank())
    questions = list(version.questions.prefetch_related("levels", "remediations").order_by("key"))
    by_key = {q.key: q for q in questions}

    Texts(version, "de").questions(questions)

    assert by_key["data-a"].text == "Wie wird data-a behandelt?"
    assert [level.label for level in by_key["data-a"].levels.all()][1] == "Etwas"
    assert by_key["data-b"].text == "How is data-b handled?"  # no German: English stays
    with translation.override("fr"):
        assert Texts(version).question_text("data-a", "How is data-a handled?") == (
            "How is data-a handled?"
        )


def test_the_shipped_german_version_is_version_2_with_an_identity_key_map(shipped_banks):
    v2, v3 = shipped_banks["ml-technical-debt-v2"], shipped_banks["ml-technical-debt-v3"]

    def shape(version):
        data = files.version_to_data(files.version_for_export(version.pk))
        data = translations.split(data)[0]
        for key in ("version", "changelog", "previous_version", "description", "name"):
            data.pop(key, None)
        return data

    assert v3.status == "published"
    assert shape(v3) == shape(v2)
    keys = list(v2.questions.values_list("key", flat=True))
    assert v3.previous_version["keys"] == {key: key for key in keys}
    assert v3.previous_version["version"] == 2
    german = {place for place, languages in v3.translations.items() if "de" in languages}
    assert {f"questions/{key}" for key in keys} <= german
    assert {f"levels/{key}/{n}" for key in keys for n in range(5)} <= german
