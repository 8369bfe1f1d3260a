"""The audit log's pages (issue #17): a project's for its managers, the whole log for staff, each
filterable and exported as CSV."""
