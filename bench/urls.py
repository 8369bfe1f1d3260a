"""The app's URLs plus the floor view, for `make bench` only (bench.settings.ROOT_URLCONF)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("", include("config.urls")),
]
