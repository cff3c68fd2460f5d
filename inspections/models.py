"""Campaigns, delegations, visits, findings and directives: built in the inspections issue."""
