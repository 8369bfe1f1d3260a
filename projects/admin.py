from django.contrib import admin

from projects.models import Membership, Project, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "kind", "created"]
    list_filter = ["team", "kind"]
    list_select_related = ["team"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
