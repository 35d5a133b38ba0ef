"""Follow-ups: tasks about a startup, investor, contact, deal or meeting, with a due date and an assignee."""
