using System.Text.Json;
using Npgsql;
using Telephony.Interop.Tests.Recording;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Interop.Tests.Storage;

/// <summary>
/// The real server with <c>storage.provider: postgres</c> (a fresh schema of the <c>TELEPHONY_TEST_POSTGRES</c> server):
/// it migrates the schema at start, a SIPp call to the echo number 9000 is answered, and its call record is read back
/// through <c>GET /api/calls</c> as admin, and is in PostgreSQL (no SQLite file is created).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class PostgresStorageTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<PostgresStorageTests>();

    [PostgresFact]
    public async Task Echo_call_on_postgres_storage_has_its_record_in_the_api_and_in_the_database()
    {
        string schema = await TestPostgres.CreateSchemaAsync();
        string connectionString = TestPostgres.ConnectionStringFor(schema);
        try
        {
            string data = RepoPaths.NewTempDirectory("pg-storage-data");
            string dir = RepoPaths.NewTempDirectory("pg-storage");
            string? id;
            await using (ServerProcess server = await RecordingApi.StartAsync(ports, data, output, new Dictionary<string, string?>
            {
                ["TELEPHONY_STORAGE__PROVIDER"] = "postgres",
                ["TELEPHONY_STORAGE__CONNECTIONSTRING"] = connectionString,
            }))
            {
                PcapSummary pcap = PcapBuilder.Write(Path.Combine(dir, "tone.pcap"),
                    new PcapStream { Audio = WavFile.Read(TestAudio.Tone(1000, 1, Path.Combine(dir, "tone.wav"))).Mono() });
                SippResult call = await Sipp.RunAsync(new SippOptions
                {
                    Scenario = "uac-media", Remote = server.SipHostPort, Service = "9000", LocalPort = ports.PeerSip(0),
                    MediaPort = ports.PeerMedia(0), AuthUser = "1003", AuthPassword = RecordingApi.Password("1003"),
                    AuthUri = $"9000@{server.SipHostPort}", Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
                    DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
                    Timeout = TimeSpan.FromSeconds(20), RecvTimeout = TimeSpan.FromSeconds(10),
                });
                Assert.True(call.Succeeded, call.Describe() + "\n" + server.Describe());

                JsonElement cdr = await RecordingApi.ClosedCallAsync(server, "1003", TimeSpan.FromSeconds(10));
                output.WriteLine(cdr.ToString());
                id = cdr.GetProperty("id").GetString();
                Assert.Equal("9000", cdr.GetProperty("dialed").GetString());
                Assert.NotEqual(JsonValueKind.Null, cdr.GetProperty("answeredAt").ValueKind);
                Assert.True(server.Log.Contains("Database postgres://127.0.0.1"), "the server did not log its PostgreSQL database\n" + server.Describe());
            }

            Assert.False(File.Exists(Path.Combine(data, "telephony.db")), "a SQLite file was created although the provider is postgres");
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT caller, dialed, outcome FROM calls WHERE id = @id;", connection);
            command.Parameters.AddWithValue("id", id!);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), $"call {id} is not in the PostgreSQL schema {schema}");
            Assert.Equal(("1003", "9000"), (reader.GetString(0), reader.GetString(1)));
            Assert.False(reader.IsDBNull(2));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            TestPostgres.DropSchema(schema);
        }
    }
}
