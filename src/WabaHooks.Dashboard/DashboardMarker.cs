namespace WabaHooks.Dashboard;

/// <summary>Registered by <c>AddWabaHooksDashboard</c>, so mapping can say what was forgotten.</summary>
internal sealed class DashboardMarker;
