"""The organisation as the screens read it: projects, units and residents within the actor's scope,
and the actor's own account (language, password). Users, scopes and the audit log keep their
modules (csm.users, csm.scope, csm.audit) for now; this package calls them."""
