"""Notification service: email to support staff, operators and users, never lost, never
doubled. See docs/notification.md."""
