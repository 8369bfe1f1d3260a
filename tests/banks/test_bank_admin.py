"""Staff curate banks in the admin: drafts editable, published read-only, import, export, publish."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from banks import files
from banks.models import BankVersion, Question
from tests import factories
from tests.banks.bank_data import small_bank


def test_published_version_is_shown_read_only(client, published):
    client = factories.login_curator(client)
    url = reverse("admin:banks_bankversion_change", args=[published.pk])

    response = client.get(url)
    post = client.post(url, {"changelog": "tampered"})

    assert response.status_code == 200
    assert 'name="changelog"' not in response.text  # no editable field
    assert "New draft from this version" in response.text
    assert post.status_code == 403
    assert BankVersion.objects.get(pk=published.pk).changelog == ""


def test_published_question_cannot_be_edited_in_the_admin(client, published):
    client = factories.login_curator(client)
    question = Question.objects.get(version=published, key="data-a")
    url = reverse("admin:banks_question_change", args=[question.pk])

    assert 'name="text"' not in client.get(url).text
    assert client.post(url, {"text": "tampered"}).status_code == 403
    assert Question.objects.get(pk=question.pk).text == "How is data-a handled?"


def test_draft_question_is_editable_with_level_and_remediation_inlines(client, draft):
    client = factories.login_curator(client)
    question = Question.objects.get(version=draft, key="data-a")

    html = client.get(reverse("admin:banks_question_change", args=[question.pk])).text

    assert 'name="text"' in html
    assert 'name="levels-0-description"' in html
    assert 'name="remediations-0-advice"' in html
    assert 'name="key" value="data-a"' in html


def test_publish_button_reports_every_problem(client, draft):
    client = factories.login_curator(client)
    Question.objects.filter(version=draft, key="code-a").update(prerequisites=["x", "y"])

    response = client.post(reverse("admin:banks_bankversion_publish", args=[draft.pk]), follow=True)

    assert "2 problems to fix first" in response.text
    assert "unknown question key &#x27;x&#x27;" in response.text
    assert "unknown question key &#x27;y&#x27;" in response.text
    assert BankVersion.objects.get(pk=draft.pk).is_draft


def test_lifecycle_messages_name_the_version_without_repeating_its_status(client, draft):
    client = factories.login_curator(client)

    response = client.post(reverse("admin:banks_bankversion_publish", args=[draft.pk]), follow=True)

    text = response.text
    assert "Published Tiny bank v1." in text and "v1 (Published)." not in text


def test_publish_and_new_draft_buttons(client, draft):
    client = factories.login_curator(client)

    client.post(reverse("admin:banks_bankversion_publish", args=[draft.pk]))
    response = client.post(reverse("admin:banks_bankversion_new_draft", args=[draft.pk]))

    assert BankVersion.objects.get(pk=draft.pk).status == "published"
    new = BankVersion.objects.get(bank=draft.bank, number=2)
    assert new.is_draft
    assert response["Location"] == reverse("admin:banks_bankversion_change", args=[new.pk])


def test_lifecycle_buttons_need_post(client, draft):
    client = factories.login_curator(client)

    response = client.get(reverse("admin:banks_bankversion_publish", args=[draft.pk]))

    assert response.status_code == 405
    assert BankVersion.objects.get(pk=draft.pk).is_draft


def test_admin_import_creates_the_version(client, db):
    client = factories.login_curator(client)
    upload = SimpleUploadedFile("tiny.yaml", files.dump(small_bank()).encode())

    response = client.post(reverse("admin:banks_bankversion_import"), {"file": upload})

    version = BankVersion.objects.get(bank__slug="tiny")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:banks_bankversion_change", args=[version.pk])
    assert (version.number, version.is_draft) == (1, True)
    assert sorted(version.questions.values_list("key", flat=True)) == ["code-a", "data-a", "data-b"]


def test_admin_import_of_a_malformed_file_lists_problems_and_changes_nothing(client, db):
    client = factories.login_curator(client)
    data = small_bank()
    data["categories"][0]["questions"][0]["levels"].pop()
    upload = SimpleUploadedFile("bad.yaml", files.dump(data).encode())

    response = client.post(reverse("admin:banks_bankversion_import"), {"file": upload})

    assert response.status_code == 400
    assert "categories[0].questions[0].levels: expected 3, got 2" in response.text
    assert not BankVersion.objects.exists()


def test_admin_import_refuses_oversized_files(client, db):
    client = factories.login_curator(client)
    upload = SimpleUploadedFile("big.yaml", b"#" * (files.MAX_FILE_BYTES + 10))

    response = client.post(reverse("admin:banks_bankversion_import"), {"file": upload})

    assert response.status_code == 400
    assert f"The file is {files.MAX_FILE_BYTES + 10:,} bytes; the limit is 2 MB." in response.text
    assert not BankVersion.objects.exists()


def test_admin_export_downloads_the_yaml(client, published):
    client = factories.login_curator(client)

    response = client.get(reverse("admin:banks_bankversion_export", args=[published.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tiny-v1.yaml"'
    assert files.load(response.getvalue())["slug"] == "tiny"


def test_non_staff_cannot_reach_the_bank_admin(client_for, bob, published):
    response = client_for(bob).get(reverse("admin:banks_bankversion_import"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_import_lists_structural_and_rule_problems_in_one_round(client, db):
    client = factories.login_curator(client)
    data = small_bank()
    data["categories"][0]["questions"][1].pop("why")
    data["categories"][1]["questions"][0]["levels"].pop()
    upload = SimpleUploadedFile("bad.yaml", files.dump(data).encode())

    response = client.post(reverse("admin:banks_bankversion_import"), {"file": upload})

    assert response.status_code == 400
    assert "categories[0].questions[1]: &#x27;why&#x27; is a required property" in response.text
    assert "categories[1].questions[0].levels: expected 3, got 2" in response.text
    assert not BankVersion.objects.exists()
