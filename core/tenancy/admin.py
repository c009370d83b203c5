from django.contrib import admin

from core.tenancy.models import Membership, Studio, User
from core.tenancy.services import membership_remove, user_deactivate


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivate(user=obj)  # its tokens and the API keys it created stop too


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    def delete_model(self, request, obj):
        membership_remove(studio=obj.studio, user=obj.user)  # revokes the keys they created there

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("studio", "user"):
            self.delete_model(request, membership)


admin.site.register(Studio)
