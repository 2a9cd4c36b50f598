"""The list of the kommunale Familie runs a constant number of queries (issue 13 found one
query per body: the parent's parent was looked up row by row)."""

from django.urls import reverse

from tests.factories import MunicipalityFactory


def test_list_queries_do_not_grow_with_the_bodies(client, district, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as few:
        assert client.get(reverse("municipalities:list")).status_code == 200
    for i in range(12):
        MunicipalityFactory(
            name=f"Neudorf {i}",
            slug=f"neudorf-{i}",
            ars=f"0335454060{50 + i}",
            parent=district["elbtalaue"],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("municipalities:list")).content.decode()
    assert "Neudorf 11" in html
    # A member of a Samtgemeinde is indented; its name links to its page.
    assert 'class="ps-4"><a href="/massnahmen/kommune/neudorf-11/">Neudorf 11</a>' in html
