-- Dashboards (DOMAIN §5): the satisfaction target the branch comparison colours against
-- (published minimums in the field are around 85%, DOMAIN §7); editable in the settings.
INSERT INTO settings VALUES ('survey.satisfaction_target', '0.85');
