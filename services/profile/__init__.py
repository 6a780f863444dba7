"""Profile service: personal information (R4), cohabitants (R6) and their review (R4.3, R6.4)."""
