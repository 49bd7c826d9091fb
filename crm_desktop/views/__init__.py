"""Everything Qt: windows, dialogs and item models. They talk to ``crm_desktop.services`` only."""
