from django.urls import path, re_path

from . import dispatch_views, exchange_views, views

app_name = "inventory"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/", views.depot_map, name="map"),
    path("depots/<str:code>/", views.depot_detail, name="depot"),
    path("depots/<str:code>/stocktake/", views.stocktake, name="stocktake"),
    re_path(r"^lots/(?P<pk>[0-9]+)/(?P<action>write-off|consume|transfer)/$", views.lot_action, name="lot_action"),
    path("dispatches/", dispatch_views.dispatch_list, name="dispatches"),
    path("dispatches/<int:pk>/", dispatch_views.dispatch_detail, name="dispatch"),
    re_path(
        r"^dispatches/(?P<pk>[0-9]+)/(?P<step>approve|dispatch|deliver|close|cancel)/$",
        dispatch_views.dispatch_step,
        name="dispatch_step",
    ),
    path("items/", views.item_list, name="items"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("ledger/", views.ledger, name="ledger"),
    path("import/", exchange_views.import_file, name="import"),
    re_path(r"^export/(?P<what>catalogue|stock)\.(?P<fmt>csv|xlsx)$", exchange_views.export, name="export"),
]
