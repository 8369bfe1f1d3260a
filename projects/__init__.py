"""The ground floor: teams, their members' roles, and the ML projects they assess."""
