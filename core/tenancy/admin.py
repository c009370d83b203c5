from django.contrib import admin

from core.tenancy.models import Membership, Studio, User

admin.site.register(User)
admin.site.register(Studio)
admin.site.register(Membership)
