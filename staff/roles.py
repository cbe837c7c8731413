"""Who may do what on the staff side."""

ADMIN, PALS, ANALYST, SERVICE_LEAD = "admin", "pals", "analyst", "service_lead"
ROLES = {
    ADMIN: "Administrator (services, users, settings)",
    PALS: "PALS officer (escalations and consented contact details)",
    ANALYST: "Analyst (anonymous answers, coding, engagement log)",
    SERVICE_LEAD: "Service lead (results for their own services; invites their patients)",
}
