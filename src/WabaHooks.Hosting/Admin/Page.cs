namespace WabaHooks.Hosting.Admin;

/// <summary>One page of a list, newest first, with the cursor of the next (older) page.</summary>
/// <typeparam name="T">The rows.</typeparam>
/// <param name="Items">The rows of this page.</param>
/// <param name="Next">
/// Give it back as the cursor to read the next page; <see langword="null"/> on the last page. Cursors are positions in
/// storage order (keyset paging), so a page never shifts when new rows arrive.
/// </param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
