// Today's charts: calls offered / answered / abandoned per 15 minutes, and service level over the day against its target.
import uPlot from 'uplot';
import type { Today } from '../../api/types';
import { Chart } from '../../ui/Chart';

const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 40] }) : undefined;

export function DayCharts(props: { today: Today }) {
  const t = props.today;
  const xs = t.intervals.map(i => new Date(i.start).getTime() / 1000);
  const volume: uPlot.AlignedData = [xs, t.intervals.map(i => i.offered), t.intervals.map(i => i.answered), t.intervals.map(i => i.abandoned)];
  const sl: uPlot.AlignedData = [xs, t.intervals.map(i => i.serviceLevel === null ? null : Math.round(i.serviceLevel * 100)),
    xs.map(() => Math.round(t.serviceLevelTarget * 100))];
  return (
    <div class="charts">
      <div>
        <h3>Calls per {t.intervalMinutes} min</h3>
        <Chart label="Calls offered, answered and abandoned per 15 minutes today" data={volume} options={{
          scales: { x: { time: true } },
          axes: [{}, { label: 'calls' }],
          series: [{}, { label: 'Offered', stroke: '#1d4ed8', fill: 'rgba(29,78,216,.25)', paths: bars },
            { label: 'Answered', stroke: '#15803d', width: 2 }, { label: 'Abandoned', stroke: '#b91c1c', width: 2, dash: [6, 4] }],
        }} />
      </div>
      <div>
        <h3>Service level today (answered within {t.serviceLevelSeconds} s)</h3>
        <Chart label={`Service level per interval against the ${Math.round(t.serviceLevelTarget * 100)} % target`} data={sl} options={{
          scales: { x: { time: true }, y: { range: [0, 100] } },
          axes: [{}, { label: '%' }],
          series: [{}, { label: 'Service level %', stroke: '#1d4ed8', width: 2, spanGaps: true, points: { show: true } },
            { label: 'Target', stroke: '#b45309', width: 2, dash: [8, 6], points: { show: false } }],
        }} />
      </div>
    </div>
  );
}
