using Telephony.Pbx.Media.Mixer;

namespace Telephony.Pbx.Tests.Media.Mixer;

public sealed class SupervisorHearingTests
{
    private const SupervisedRole C = SupervisedRole.Caller;
    private const SupervisedRole A = SupervisedRole.Agent;
    private const SupervisedRole S = SupervisedRole.Supervisor;

    // Rows: listener caller, agent, supervisor; each row: hears caller, agent, supervisor.
    public static TheoryData<SupervisorMode, bool[][]> Matrices => new()
    {
        { SupervisorMode.Listen, [[false, true, false], [true, false, false], [true, true, false]] },
        { SupervisorMode.Whisper, [[false, true, false], [true, false, true], [true, true, false]] },
        { SupervisorMode.Barge, [[false, true, true], [true, false, true], [true, true, false]] },
        { SupervisorMode.TakeOver, [[false, false, true], [false, false, false], [true, false, false]] },
    };

    [Theory]
    [MemberData(nameof(Matrices))]
    public void Hearing_matrix_of_each_mode(SupervisorMode mode, bool[][] expected)
    {
        SupervisedRole[] roles = [C, A, S];
        for (var l = 0; l < 3; l++)
        {
            for (var t = 0; t < 3; t++)
            {
                Assert.True(expected[l][t] == SupervisorHearing.Hears(mode, roles[l], roles[t]),
                    $"{mode}: {roles[l]} hears {roles[t]} should be {expected[l][t]}");
            }
        }
    }

    [Theory]
    [InlineData(SupervisorMode.Listen, true, true, false)]
    [InlineData(SupervisorMode.Whisper, true, true, true)]
    [InlineData(SupervisorMode.Barge, true, true, true)]
    [InlineData(SupervisorMode.TakeOver, true, false, true)]
    public void A_role_talks_exactly_when_somebody_hears_it(SupervisorMode mode, bool caller, bool agent,
        bool supervisor)
    {
        Assert.Equal(caller, SupervisorHearing.Talks(mode, C));
        Assert.Equal(agent, SupervisorHearing.Talks(mode, A));
        Assert.Equal(supervisor, SupervisorHearing.Talks(mode, S));
    }

    [Fact]
    public void Routing_maps_roles_to_slot_bits()
    {
        // caller in slot 5, agent in 2, supervisor in 40
        Assert.Equal(new MixerRouting(true, AudioMixer.Bit(2) | AudioMixer.Bit(40)),
            SupervisorHearing.Routing(SupervisorMode.Barge, C, 5, 2, 40));
        Assert.Equal(new MixerRouting(false, AudioMixer.Bit(5) | AudioMixer.Bit(2)),
            SupervisorHearing.Routing(SupervisorMode.Listen, S, 5, 2, 40));
        Assert.Equal(new MixerRouting(false, 0), SupervisorHearing.Routing(SupervisorMode.TakeOver, A, 5, 2, 40));
        Assert.Equal(new MixerRouting(true, AudioMixer.Bit(5) | AudioMixer.Bit(40)),
            SupervisorHearing.Routing(SupervisorMode.Whisper, A, 5, 2, 40));
    }

    [Theory]
    [InlineData(SupervisorMode.Listen)]
    [InlineData(SupervisorMode.Whisper)]
    [InlineData(SupervisorMode.Barge)]
    [InlineData(SupervisorMode.TakeOver)]
    public void Mixer_with_mode_routing_delivers_the_matrix(SupervisorMode mode)
    {
        var mixer = new AudioMixer(16);
        int[] slots = [mixer.AddParticipant(), mixer.AddParticipant(), mixer.AddParticipant()];
        short[] voices = [1, 10, 100];
        SupervisedRole[] roles = [C, A, S];
        for (var r = 0; r < 3; r++)
        {
            var routing = SupervisorHearing.Routing(mode, roles[r], slots[0], slots[1], slots[2]);
            mixer.SetTalks(slots[r], routing.Talks);
            mixer.SetHears(slots[r], routing.Hears);
            mixer.Input(slots[r]).Fill(voices[r]);
        }

        mixer.Mix();
        for (var l = 0; l < 3; l++)
        {
            var expected = 0;
            for (var t = 0; t < 3; t++)
            {
                expected += SupervisorHearing.Hears(mode, roles[l], roles[t]) ? voices[t] : 0;
            }

            Assert.Equal(expected, mixer.Output(slots[l])[0]);
        }
    }
}
