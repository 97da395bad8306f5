namespace WabaHooks.Payloads;

/// <summary><c>call_created</c>: a call signalled over SIP was created (either direction). Like a connect, without a session.</summary>
public sealed class CallCreated : CallEvent;
