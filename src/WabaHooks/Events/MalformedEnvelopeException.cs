namespace WabaHooks.Events;

/// <summary>Unwinds the walk when the envelope is valid JSON of the wrong shape; never escapes the splitter.</summary>
internal sealed class MalformedEnvelopeException(string message) : Exception(message);
