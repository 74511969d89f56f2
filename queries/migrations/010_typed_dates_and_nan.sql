-- Typed dates lie within this many years of today (csm/dates.py); and the text 'nan' that a
-- corrective action's empty result was pre-filled with (pandas NaN) and saved is emptied again.
INSERT INTO settings VALUES ('dates.max_years', '5');
UPDATE survey_actions SET result = NULL WHERE result = 'nan';
