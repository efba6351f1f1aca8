using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Pbx.Tests.Sip.Parsing;

/// <summary>Every RFC 4475 message under tests/Vectors/rfc4475 against an expected-outcome table.</summary>
public sealed class Rfc4475TortureTests
{
    private static readonly string VectorDir = Path.Combine(AppContext.BaseDirectory, "Vectors", "rfc4475");

    /// <summary>Expected outcome; Note says which layer refuses a syntactically valid but unacceptable message.</summary>
    private sealed record Expectation(
        string Section, SipParseErrorReason? Reason = null, string? Header = null, int Status = 0,
        bool Answerable = false, string? Note = null)
    {
        public bool Valid => Reason is null;
    }

    private static Expectation Valid(string section, string? note = null) => new(section, Note: note);

    private static Expectation Invalid(string section, SipParseErrorReason reason, string? header, int status,
        bool answerable) => new(section, reason, header, status, answerable);

    private static readonly Dictionary<string, Expectation> Expected = new()
    {
        // §3.1.1 valid messages: parse and round-trip.
        ["wsinv"] = Valid("3.1.1.1"),
        ["intmeth"] = Valid("3.1.1.2", "unknown method: the UAS answers 501/405"),
        ["esc01"] = Valid("3.1.1.3"),
        ["escnull"] = Valid("3.1.1.4"),
        ["esc02"] = Valid("3.1.1.5", "unknown method RE%47IST%45R, not REGISTER: answered 501/405"),
        ["lwsdisp"] = Valid("3.1.1.6"),
        ["longreq"] = Valid("3.1.1.7"),
        ["dblreq"] = Valid("3.1.1.8", "the INVITE after Content-Length: 0 is discarded"),
        ["semiuri"] = Valid("3.1.1.9"),
        ["transports"] = Valid("3.1.1.10"),
        ["unreason"] = Valid("3.1.1.12"),
        ["noreason"] = Valid("3.1.1.13"),

        // §3.1.2 invalid messages: a specific error; Partial when Via/From/To/Call-ID/CSeq allow an answer.
        ["badinv01"] = Invalid("3.1.2.1", SipParseErrorReason.BadHeaderValue, HeaderName.Via, 400, false),
        ["clerr"] = Invalid("3.1.2.2", SipParseErrorReason.ContentLengthMismatch, HeaderName.ContentLength, 400,
            true),
        ["ncl"] = Invalid("3.1.2.3", SipParseErrorReason.BadContentLength, HeaderName.ContentLength, 400, true),
        ["scalar02"] = Invalid("3.1.2.4", SipParseErrorReason.BadHeaderValue, HeaderName.CSeq, 400, true), // RFC: "respond with a 400"
        ["scalarlg"] = Invalid("3.1.2.5", SipParseErrorReason.BadHeaderValue, HeaderName.CSeq, 400, false),
        ["quotbal"] = Invalid("3.1.2.6", SipParseErrorReason.BadHeaderValue, HeaderName.To, 400, false),
        ["ltgtruri"] = Invalid("3.1.2.7", SipParseErrorReason.BadUri, null, 400, true),
        ["lwsruri"] = Invalid("3.1.2.8", SipParseErrorReason.BadStartLine, null, 400, false),
        ["lwsstart"] = Invalid("3.1.2.9", SipParseErrorReason.BadStartLine, null, 400, false),
        ["trws"] = Invalid("3.1.2.10", SipParseErrorReason.BadStartLine, null, 400, false),
        ["escruri"] = Invalid("3.1.2.11", SipParseErrorReason.BadUri, null, 400, true),
        ["baddate"] = Invalid("3.1.2.12", SipParseErrorReason.BadHeaderValue, HeaderName.Date, 400, true),
        ["regbadct"] = Invalid("3.1.2.13", SipParseErrorReason.BadHeaderValue, HeaderName.Contact, 400, true),
        ["badaspec"] = Invalid("3.1.2.14", SipParseErrorReason.BadHeaderValue, HeaderName.To, 400, false),
        ["baddn"] = Invalid("3.1.2.15", SipParseErrorReason.BadHeaderValue, HeaderName.From, 400, false),

        // Its Via says SIP/7.0 too, so there is no Via to answer through: dropped.
        ["badvers"] = Invalid("3.1.2.16", SipParseErrorReason.BadVersion, null, 505, false),
        ["mismatch01"] = Invalid("3.1.2.17", SipParseErrorReason.MethodMismatch, HeaderName.CSeq, 400, true),
        ["mismatch02"] = Invalid("3.1.2.18", SipParseErrorReason.MethodMismatch, HeaderName.CSeq, 400, true),
        ["bigcode"] = Invalid("3.1.2.19", SipParseErrorReason.BadStartLine, null, 400, false),

        // §3.2 transaction layer.
        ["badbranch"] = Valid("3.2.1", "branch is only the cookie: the transaction layer matches it RFC 2543 style"),

        // §3.3 application layer.
        ["insuf"] = Invalid("3.3.1", SipParseErrorReason.MissingHeader, HeaderName.From, 400, false),
        ["unkscm"] = Invalid("3.3.2", SipParseErrorReason.UnsupportedUriScheme, null, 416, true),
        ["novelsc"] = Invalid("3.3.3", SipParseErrorReason.UnsupportedUriScheme, null, 416, true),
        ["unksm2"] = Valid("3.3.4", "unknown schemes in To/From/Contact are kept opaque; the registrar decides"),
        ["bext01"] = Valid("3.3.5", "semantically invalid: parses, the UA answers 420 Bad Extension"),
        ["invut"] = Valid("3.3.6", "semantically invalid: parses, the UA answers 415 Unsupported Media Type"),
        ["regaut01"] = Valid("3.3.7", "semantically invalid: parses, the registrar answers 401"),
        ["multi01"] = Invalid("3.3.8", SipParseErrorReason.DuplicateHeader, HeaderName.From, 400, false),
        ["mcl01"] = Invalid("3.3.9", SipParseErrorReason.DuplicateHeader, HeaderName.ContentLength, 400, true),
        ["bcast"] = Valid("3.3.10", "response with a broadcast Via: the transport must not send to it"),
        ["zeromf"] = Valid("3.3.11", "Max-Forwards 0: a UAS answers; only a proxy answers 483"),
        ["cparam01"] = Valid("3.3.12"),
        ["cparam02"] = Valid("3.3.13"),
        ["regescrt"] = Valid("3.3.14"),
        ["sdp01"] = Valid("3.3.15", "semantically invalid: parses, the UA answers 406 Not Acceptable"),

        // §3.4 backward compatibility.
        ["inv2543"] = Valid("3.4.1", "RFC 2543 style: no branch, no Max-Forwards, no Content-Length"),
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(VectorDir, "*.dat").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    private static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(VectorDir, name + ".dat"));

    [Theory]
    [MemberData(nameof(Files))]
    public void Message_has_the_expected_outcome(string name)
    {
        Assert.True(Expected.TryGetValue(name, out var expected), $"no expectation for {name}.dat");
        var ok = SipMessageParser.TryParse(Load(name), out var message, out var error);
        if (expected.Valid)
        {
            Assert.True(ok, $"{name} (§{expected.Section}) should parse: {error}");
            SipTestMessages.AssertRoundTrips(message!);
            return;
        }

        Assert.False(ok, $"{name} (§{expected.Section}) should be rejected");
        Assert.Equal(expected.Reason, error!.Reason);
        Assert.Equal(expected.Header, error.Header);
        Assert.Equal(expected.Status, error.StatusCode);
        Assert.Equal(expected.Answerable, error.Partial is not null);
        if (error.Partial is { } partial)
        {
            // The server must be able to answer with what was parsed.
            var response = SipResponse.CreateFor(partial, error.StatusCode);
            Assert.Equal(partial.CallId, response.CallId);
            Assert.NotNull(response.TopVia);
        }
    }

    [Fact]
    public void Every_expectation_has_a_vector_file()
    {
        var files = Directory.GetFiles(VectorDir, "*.dat").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        foreach (var name in Expected.Keys)
        {
            Assert.Contains(name, files);
        }

        Assert.Equal(48, files.Count);
    }

    [Fact]
    public void Wsinv_folded_and_spaced_headers_are_understood()
    {
        var m = Assert.IsType<SipRequest>(Parse("wsinv"));
        Assert.Equal("1918181833n", m.To!.Tag);
        Assert.Equal("J Rosenberg \\\"", m.From!.DisplayName);
        Assert.Equal("98asjd8", m.From.Tag);
        Assert.Equal(68, m.MaxForwards);
        Assert.Equal(new CSeq(9, SipMethod.Invite), m.CSeq);
        Assert.Equal(["UDP", "TCP", "UDP"], m.Vias.Select(v => v.Transport));
        Assert.Equal("z9hG4bK30239", m.Vias[2].Branch);
        Assert.Equal("", m.Headers.Get(HeaderName.Subject));
        Assert.Equal("newfangled value  continued newfangled value", m.Headers.Get("NewFangledHeader"));
        var contact = NameAddress.Parse(m.Headers.Get(HeaderName.Contact)!);
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("0.33", contact.Parameters["q"]);
        Assert.Equal(150, m.Body.Length);
    }

    [Fact]
    public void Intmeth_keeps_method_user_and_password()
    {
        var m = Assert.IsType<SipRequest>(Parse("intmeth"));
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", m.Method);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", m.RequestUri.User);
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", m.RequestUri.Password);
        Assert.Equal("BEL:\a NUL:\0 DEL:\x7f", m.To!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", m.From!.Tag);
    }

    [Fact]
    public void Esc01_unescapes_user_and_uri_parameters()
    {
        var m = Assert.IsType<SipRequest>(Parse("esc01"));
        Assert.Equal("sips:user@example.com", m.RequestUri.User);
        Assert.Equal("user", m.To!.Uri.User);
        Assert.Equal("I have spaces", m.From!.Uri.User);
        var contact = NameAddress.Parse(m.Headers.Get(HeaderName.Contact)!).Uri;
        Assert.Equal("caller", contact.User);
        Assert.True(contact.Parameters.ContainsKey("lr"));
        Assert.Equal("value%41", contact.Parameters["name"]);
    }

    [Fact]
    public void Escnull_keeps_nul_in_user_and_escapes_it_again()
    {
        var m = Parse("escnull");
        Assert.Equal("null-\0-null", m.To!.Uri.User);
        Assert.Equal("sip:null-%00-null@example.com", m.To.Uri.ToString());
        Assert.Equal(2, m.Headers.GetAll(HeaderName.Contact).Count);
    }

    [Fact]
    public void Esc02_percent_is_not_an_escape_outside_uris()
    {
        var m = Assert.IsType<SipRequest>(Parse("esc02"));
        Assert.Equal("RE%47IST%45R", m.Method);
        Assert.Equal("%Z%45", m.To!.DisplayName);
        Assert.Equal(2, m.Headers.GetAll(HeaderName.Contact).Count);
        Assert.Equal("<sip:alias2@host2.example.com>", m.Headers.Get("C%6Fntact"));
    }

    [Fact]
    public void Dblreq_ignores_bytes_after_content_length()
    {
        var m = Assert.IsType<SipRequest>(Parse("dblreq"));
        Assert.Equal(SipMethod.Register, m.Method);
        Assert.Empty(m.Body);
    }

    [Fact]
    public void Longreq_reads_all_34_vias_in_any_case_and_compact_form()
    {
        var m = Parse("longreq");
        Assert.Equal(34, m.Vias.Count);
        Assert.Equal("sip33.example.com", m.TopVia!.Host);
        Assert.Equal("192.0.2.5", m.Vias[^1].Received);
    }

    [Fact]
    public void Semiuri_user_part_keeps_semicolon_and_accept_list_splits()
    {
        var m = Assert.IsType<SipRequest>(Parse("semiuri"));
        Assert.Equal("user;par=u@example.net", m.RequestUri.User);
        Assert.Empty(m.RequestUri.Parameters);
        Assert.Equal(6, m.Headers.GetAll(HeaderName.Accept).Count);
    }

    [Fact]
    public void Unreason_and_noreason_keep_reason_phrases()
    {
        Assert.StartsWith("= 2**3 * 5**2 но сто", Assert.IsType<SipResponse>(Parse("unreason")).ReasonPhrase);
        Assert.Equal("", Assert.IsType<SipResponse>(Parse("noreason")).ReasonPhrase);
    }

    [Fact]
    public void Unkscm_partial_keeps_opaque_request_uri_for_416()
    {
        Assert.False(SipMessageParser.TryParse(Load("unkscm"), out _, out var error));
        Assert.Equal("nobodyKnowsThisScheme:totallyopaquecontent", error.Partial!.RequestUri.ToString());
    }

    [Fact]
    public void Unksm2_opaque_uris_in_headers_round_trip()
    {
        var m = Parse("unksm2");
        Assert.Equal("isbn", m.To!.Uri.Scheme);
        Assert.Equal("<isbn:2983792873>", m.To.ToString());
        Assert.Equal("http", m.From!.Uri.Scheme);
    }

    [Fact]
    public void Inv2543_without_content_length_takes_rest_of_datagram()
    {
        var m = Parse("inv2543");
        Assert.Null(m.MaxForwards);
        Assert.Null(m.TopVia!.Branch);
        Assert.Equal(105, m.Body.Length);
    }

    private static SipMessage Parse(string name)
    {
        Assert.True(SipMessageParser.TryParse(Load(name), out var message, out var error), error?.ToString());
        return message;
    }
}
