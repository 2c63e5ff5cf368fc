-- A connection's own show_as_button (Auth0's field of the same name, false unless
-- set): whether an enterprise connection is a button on the personal login of the
-- applications it is enabled for. Without it, every customer's enterprise SSO that a
-- sync enabled for an application would be listed there. Database and social
-- connections always show. No semicolons in comments: the migration runner splits
-- statements on them.
ALTER TABLE connections ADD COLUMN show_as_button BIGINT NOT NULL DEFAULT 0
