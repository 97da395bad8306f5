namespace WabaHooks.Hosting;

/// <summary>Registered by <c>AddWabaHooks</c> so <c>MapWabaHooks</c> can tell when it was forgotten.</summary>
internal sealed class WabaHooksMarker;
