using WabaHooks.Cli.Output;

namespace WabaHooks.Cli.Tests.Output;

public sealed class JsonIndenterTests
{
    [Fact]
    public void Indents_objects_and_arrays_two_spaces_deep()
    {
        var indented = JsonIndenter.Indented("""{"a":[1,{"b":true}],"c":null}""");

        Assert.Equal("{\n  \"a\": [\n    1,\n    {\n      \"b\": true\n    }\n  ],\n  \"c\": null\n}", indented);
    }

    [Fact]
    public void Keeps_strings_byte_for_byte_with_their_escapes_and_structural_characters()
    {
        const string Json = """{ "body" : "Caf\u00e9 {a, b: [c]} \"q\" \\ +=" }""";

        var indented = JsonIndenter.Indented(Json);

        Assert.Equal("{\n  \"body\": \"Caf\\u00e9 {a, b: [c]} \\\"q\\\" \\\\ +=\"\n}", indented);
    }

    [Fact]
    public void Keeps_empty_objects_and_arrays_on_one_line()
    {
        Assert.Equal("{\n  \"a\": {},\n  \"b\": []\n}", JsonIndenter.Indented("{\"a\": { }, \"b\":[\n]}"));
    }
}
