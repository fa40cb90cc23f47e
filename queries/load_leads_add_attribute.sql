-- name: LoadLeadsAddAttribute
-- Purpose: give leads the column of an attribute a leads file brings, if
-- it has none yet: each attribute is a column of leads named "attr:" and
-- the attribute's name (migrations/003_attribute_columns.sql), NULL for
-- the leads stored before. Column names are case-insensitive.
-- /*COLUMN*/ is replaced by the quoted column name.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS /*COLUMN*/ VARCHAR
