"""The project's own library: configuration, database, events, auth, clock, errors, i18n,
health and logging. No business rules live here."""
