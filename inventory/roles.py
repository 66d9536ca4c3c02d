"""What each role may do with inventory's models (granted from InventoryConfig.ready(), see
backend/directory/roles.py). A depot manager acts on the depots bound to them
(inventory.Depot.managers) only: permissions.py."""

from backend.directory import roles

GRANTS = {
    # coordinates every depot (catalogue, receipts, stocktakes, dispatch requests and approvals)
    roles.DUTY_OFFICER: [
        "inventory.add_depot",
        "inventory.change_depot",
        "inventory.add_item",
        "inventory.change_item",
        "inventory.add_stockminimum",
        "inventory.change_stockminimum",
        "inventory.delete_stockminimum",
        "inventory.add_movement",
        "inventory.add_dispatch",
        "inventory.change_dispatch",
        "inventory.approve_dispatch",
    ],
    roles.DEPOT_MANAGER: [
        "inventory.change_depot",
        "inventory.add_stockminimum",
        "inventory.change_stockminimum",
        "inventory.delete_stockminimum",
        "inventory.add_movement",
        "inventory.add_dispatch",
        "inventory.change_dispatch",
        "inventory.approve_dispatch",
        "inventory.ship_dispatch",
    ],
}
