// The dashboard's behaviour: polls the job API, draws the jobs, episodes and a stage-time chart, and sends the
// buttons' requests. No library and no build step. Every value from the API reaches the page as text
// (textContent, setAttribute on plain attributes), never as markup. URLs are relative to /dashboard, so the
// page works under any route prefix.
'use strict';

(() => {
  const POLL_MS = 1500;
  const JOB_LIMIT = 20;
  const CHART_JOBS = 10;
  const KEY_STORAGE = 'episodepipeline.key';
  const KEY_HEADER = 'x-functions-key';
  const STAGES = ['transcribe', 'enrich', 'render'];
  const ACTIVE = new Set(['queued', 'running']);
  const SVG = 'http://www.w3.org/2000/svg';

  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (name === 'text') node.textContent = value;
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  };

  // ---- the key --------------------------------------------------------------------------------------------

  let keyPrompt = null;

  /** Asks for the key in the page's dialog; concurrent 401s share one prompt. Resolves when a key is stored. */
  function askForKey(refused) {
    if (keyPrompt) return keyPrompt;
    keyPrompt = new Promise((resolve) => {
      const dialog = $('key-dialog');
      const input = $('key-input');
      $('key-message').textContent = refused
        ? 'The host refused that key. Enter the right one.'
        : 'This host asks for its key (the one its API expects in x-functions-key).';
      input.value = '';
      const form = $('key-form');
      const submitted = (event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (!key) return;
        sessionStorage.setItem(KEY_STORAGE, key);
        form.removeEventListener('submit', submitted);
        dialog.close();
        keyPrompt = null;
        resolve();
      };
      form.addEventListener('submit', submitted);
      if (!dialog.open) dialog.showModal();
      input.focus();
    });
    return keyPrompt;
  }

  // Without a key nothing works, so Escape does not dismiss the prompt.
  $('key-dialog').addEventListener('cancel', (event) => event.preventDefault());

  /** Calls the API with the stored key; on 401 asks for the key and tries again. Answers the Response. */
  async function api(method, path, body) {
    for (;;) {
      const key = sessionStorage.getItem(KEY_STORAGE);
      const headers = { Accept: 'application/json' };
      if (key) headers[KEY_HEADER] = key;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
      if (response.status !== 401) return response;
      await askForKey(key !== null);
    }
  }

  /** The JSON of a 2xx answer; otherwise throws with the problem's title and detail. */
  async function json(response) {
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const title = data && data.title ? data.title : `HTTP ${response.status}`;
      const detail = data && data.detail ? ` ${data.detail}` : '';
      throw new Error(`${title}${detail}`);
    }
    return data;
  }

  // ---- status line ----------------------------------------------------------------------------------------

  function say(message, isError = false) {
    const status = $('status');
    status.textContent = message;
    status.classList.toggle('error', isError);
  }

  // ---- formatting -----------------------------------------------------------------------------------------

  function seconds(value) {
    if (value === null || value === undefined) return '';
    const s = Math.max(0, Math.round(value));
    if (s < 60) return `${s} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${s % 60} s`;
    return `${Math.floor(m / 60)} h ${m % 60} min`;
  }

  function clock(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString();
  }

  /** The page link only when it is an http(s) URL: a job's data never becomes a javascript: link. */
  function safeLink(url) {
    if (typeof url !== 'string' || !url) return null;
    try {
      const parsed = new URL(url, document.baseURI);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch {
      return null;
    }
  }

  // ---- rows kept by key, so a refresh never replaces the button under the pointer or the focus --------------

  function syncRows(tbody, items, keyOf, create, update) {
    const existing = new Map([...tbody.rows].map((row) => [row.dataset.key, row]));
    let previous = null;
    for (const item of items) {
      const key = keyOf(item);
      let row = existing.get(key);
      if (!row) {
        row = create(item);
        row.dataset.key = key;
      }
      existing.delete(key);
      update(row, item);
      const expected = previous ? previous.nextElementSibling : tbody.firstElementChild;
      if (expected !== row) tbody.insertBefore(row, expected);
      previous = row;
    }
    for (const stale of existing.values()) stale.remove();
  }

  // ---- stats ----------------------------------------------------------------------------------------------

  function showStats(stats) {
    for (const dd of document.querySelectorAll('#stats dd[data-stat]')) {
      const value = stats[dd.dataset.stat];
      dd.textContent = value === undefined || value === null ? '–' : String(value);
    }
  }

  // ---- jobs -----------------------------------------------------------------------------------------------

  function createJobRow() {
    const row = el('tr', { class: 'job' });
    const progress = el('progress', { max: '100', value: '0' });
    row.append(
      el('td', { class: 'job-name' }, el('span', { class: 'episode' }), el('br'), el('code', { class: 'job-id' }), el('span', { class: 'retry-of muted' })),
      el('td', {}, el('span', { class: 'badge' })),
      el('td', { class: 'progress' }, progress, el('span', { class: 'percent' })),
      el('td', { class: 'message-cell' }, el('span', { class: 'stage' }), ' ', el('span', { class: 'message' }), el('span', { class: 'error' })),
      el('td', { class: 'eta' }),
      el('td', { class: 'started' }),
      el('td', { class: 'actions' }),
    );
    return row;
  }

  function updateJobRow(row, job) {
    const name = job.episode_id || (job.job_type === 'batch' ? 'Batch' : job.job_type || 'Job');
    row.dataset.status = job.status;
    row.querySelector('.episode').textContent = name;
    row.querySelector('.job-id').textContent = job.job_id.slice(0, 8);
    row.querySelector('.job-id').title = job.job_id;
    row.querySelector('.retry-of').textContent = job.retry_of ? ` retry of ${job.retry_of.slice(0, 8)}` : '';
    const badge = row.querySelector('.badge');
    badge.textContent = job.status;
    badge.className = `badge status-${job.status}`;
    const percent = Math.round(job.progress || 0);
    const progress = row.querySelector('progress');
    progress.value = job.progress || 0;
    progress.setAttribute('aria-label', `Progress of ${name}`);
    row.querySelector('.percent').textContent = `${percent} %`;
    row.querySelector('.stage').textContent = job.current_stage || '';
    row.querySelector('.message').textContent = job.message || '';
    row.querySelector('.error').textContent = job.error ? job.error : '';
    row.querySelector('.eta').textContent = ACTIVE.has(job.status) && job.eta_seconds ? seconds(job.eta_seconds) : '';
    row.querySelector('.started').textContent = clock(job.created_at);
    updateJobActions(row.querySelector('.actions'), job, name);
  }

  /** Cancel while queued or running, retry when failed or cancelled, the page once rendered; rebuilt only when that set changes. */
  function updateJobActions(cell, job, name) {
    const page = job.status === 'completed' && job.result ? safeLink(job.result.page_url) : null;
    const signature = `${job.status}|${page || ''}`;
    if (cell.dataset.signature === signature) return;
    cell.dataset.signature = signature;
    cell.replaceChildren();
    const hidden = (text) => el('span', { class: 'visually-hidden', text });
    if (ACTIVE.has(job.status)) {
      const button = el('button', { type: 'button', class: 'cancel' }, 'Cancel', hidden(` job for ${name}`));
      button.addEventListener('click', () => cancelJob(job.job_id, button));
      cell.append(button);
    }
    if (job.status === 'failed' || job.status === 'cancelled') {
      const button = el('button', { type: 'button', class: 'retry' }, 'Retry', hidden(` job for ${name}`));
      button.addEventListener('click', () => retryJob(job.job_id, button));
      cell.append(button);
    }
    if (page) {
      cell.append(el('a', { href: page, class: 'page-link' }, 'Open page', hidden(` of ${name}`)));
    }
  }

  function showJobs(jobs) {
    syncRows($('jobs').tBodies[0], jobs, (j) => j.job_id, createJobRow, updateJobRow);
    $('jobs-empty').hidden = jobs.length > 0;
  }

  async function cancelJob(jobId, button) {
    button.disabled = true;
    try {
      await json(await api('DELETE', `async/jobs/${encodeURIComponent(jobId)}`));
      say(`Cancelling job ${jobId.slice(0, 8)}.`);
    } catch (error) {
      say(`Could not cancel: ${error.message}`, true);
      button.disabled = false;
    }
    refresh();
  }

  async function retryJob(jobId, button) {
    button.disabled = true;
    try {
      const answer = await json(await api('POST', `async/jobs/${encodeURIComponent(jobId)}/retry`));
      say(`Retrying job ${jobId.slice(0, 8)} as job ${answer.job_id.slice(0, 8)}.`);
    } catch (error) {
      say(`Could not retry: ${error.message}`, true);
      button.disabled = false;
    }
    refresh();
  }

  // ---- chart: seconds per stage of the last completed jobs, stacked bars in inline SVG ---------------------

  function showChart(jobs) {
    const done = jobs
      .filter((j) => j.status === 'completed' && j.result && j.result.stage_seconds)
      .slice(0, CHART_JOBS)
      .reverse();
    const chart = $('chart');
    $('chart-empty').hidden = done.length > 0;
    chart.closest('figure').hidden = done.length === 0;
    const signature = JSON.stringify(done.map((j) => [j.job_id, j.result.stage_seconds]));
    if (chart.dataset.signature === signature) return;
    chart.dataset.signature = signature;
    chart.replaceChildren();
    if (done.length === 0) return;

    const total = (j) => STAGES.reduce((sum, s) => sum + (j.result.stage_seconds[s] || 0), 0);
    const longest = Math.max(1, ...done.map(total));
    const step = niceStep(longest / 4);
    const axisMax = Math.ceil(longest / step) * step;
    const label = 170;
    const width = 720;
    const plot = width - label - 20;
    const barHeight = 18;
    const gap = 8;
    const top = 8;
    const height = top + done.length * (barHeight + gap) + 24;
    const x = (s) => label + (s / axisMax) * plot;

    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('role', 'img');
    const summary = done.map((j) => `${j.episode_id}: ` + STAGES
      .filter((s) => j.result.stage_seconds[s] !== undefined)
      .map((s) => `${s} ${j.result.stage_seconds[s].toFixed(1)} s`).join(', '));
    svg.setAttribute('aria-label', `Seconds per stage, oldest first. ${summary.join('; ')}.`);
    const svgEl = (tag, attrs, text) => {
      const node = document.createElementNS(SVG, tag);
      for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
      if (text !== undefined) node.textContent = text;
      return node;
    };

    const axisY = top + done.length * (barHeight + gap);
    for (let t = 0; t <= axisMax + step / 2; t += step) {
      svg.append(
        svgEl('line', { x1: x(t), x2: x(t), y1: top - 4, y2: axisY, class: 'grid' }),
        svgEl('text', { x: x(t), y: axisY + 16, 'text-anchor': 'middle', class: 'tick' }, seconds(t)),
      );
    }

    done.forEach((job, i) => {
      const y = top + i * (barHeight + gap);
      const name = job.episode_id || job.job_id.slice(0, 8);
      svg.append(svgEl('text', { x: label - 8, y: y + barHeight * 0.72, 'text-anchor': 'end', class: 'bar-label' }, name.length > 24 ? `${name.slice(0, 23)}…` : name));
      let at = 0;
      for (const stage of STAGES) {
        const value = job.result.stage_seconds[stage];
        if (value === undefined) continue;
        const rect = svgEl('rect', {
          x: x(at), y, width: Math.max(x(at + value) - x(at), value > 0 ? 1 : 0), height: barHeight,
          class: `stage-${stage}`, 'data-stage': stage,
        });
        rect.append(svgEl('title', {}, `${name}, ${stage}: ${value.toFixed(1)} s`));
        svg.append(rect);
        at += value;
      }
    });
    chart.append(svg);
  }

  function niceStep(raw) {
    const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
    for (const factor of [1, 2, 5, 10]) {
      if (raw <= factor * power) return factor * power;
    }
    return 10 * power;
  }

  // ---- episodes -------------------------------------------------------------------------------------------

  let activeEpisodes = new Set();

  function createEpisodeRow() {
    const row = el('tr', { class: 'episode' });
    const button = el('button', { type: 'button', class: 'process' }, 'Process', el('span', { class: 'visually-hidden' }));
    button.addEventListener('click', () => processEpisode(row.dataset.key, button));
    row.append(
      el('th', { scope: 'row' }, el('span', { class: 'id' }), el('br'), el('span', { class: 'title muted' })),
      el('td', { class: 'episode-stage' }),
      el('td', { class: 'media' }),
      el('td', { class: 'duration' }),
      el('td', { class: 'actions' }, button),
    );
    return row;
  }

  function updateEpisodeRow(row, episode) {
    row.querySelector('.id').textContent = episode.id;
    row.querySelector('.title').textContent = episode.title && episode.title !== episode.id ? episode.title : '';
    row.querySelector('.episode-stage').textContent = episode.stage;
    const media = episode.missing ? 'missing' : episode.media_status;
    row.querySelector('.media').textContent = media;
    row.querySelector('.media').title = episode.media_problem || '';
    row.querySelector('.duration').textContent = seconds(episode.duration_seconds);
    const button = row.querySelector('button.process');
    button.querySelector('.visually-hidden').textContent = ` ${episode.id}`;
    const busy = activeEpisodes.has(episode.id);
    if (!button.dataset.pending) button.disabled = busy || media !== 'ready';
    button.title = busy ? 'A job for this episode is running' : media !== 'ready' ? `Media is ${media}` : '';
  }

  function showEpisodes(episodes) {
    syncRows($('episodes').tBodies[0], episodes, (e) => e.id, createEpisodeRow, updateEpisodeRow);
    $('episodes-empty').hidden = episodes.length > 0;
  }

  async function processEpisode(id, button) {
    button.disabled = true;
    button.dataset.pending = 'true';
    const body = { target_stage: $('target-stage').value, force_reprocess: $('force-reprocess').checked };
    try {
      const answer = await json(await api('POST', `async/episodes/${encodeURIComponent(id)}/process`, body));
      say(answer.existing
        ? `${id} already has a running job (${answer.job_id.slice(0, 8)}).`
        : `Job ${answer.job_id.slice(0, 8)} queued for ${id} (to ${body.target_stage}).`);
    } catch (error) {
      say(`Could not process ${id}: ${error.message}`, true);
    }
    delete button.dataset.pending;
    refresh();
  }

  $('discover').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    say('Discovering media…');
    try {
      const found = await json(await api('POST', 'episodes/discover'));
      say(`Discovery: ${found.found} found, ${found.added} new, ${found.changed} changed, ${found.missing} missing.`);
    } catch (error) {
      say(`Discovery failed: ${error.message}`, true);
    }
    button.disabled = false;
    refresh();
  });

  // ---- polling --------------------------------------------------------------------------------------------

  let timer = 0;
  let inFlight = null;
  let again = false;

  async function load() {
    const [stats, jobs, episodes] = await Promise.all([
      api('GET', 'async/stats').then(json),
      api('GET', `async/jobs?limit=${JOB_LIMIT}`).then(json),
      api('GET', 'episodes').then(json),
    ]);
    activeEpisodes = new Set(jobs.filter((j) => ACTIVE.has(j.status) && j.episode_id).map((j) => j.episode_id));
    showStats(stats);
    showJobs(jobs);
    showChart(jobs);
    showEpisodes(episodes);
    $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${POLL_MS / 1000} s.`;
  }

  /** One refresh at a time (one asked for meanwhile runs right after); then the next is scheduled, unless the tab is hidden. */
  function refresh() {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    clearTimeout(timer);
    inFlight = load()
      .catch((error) => {
        $('updated').textContent = `The host did not answer (${error.message}); trying again.`;
      })
      .finally(() => {
        inFlight = null;
        if (document.visibilityState === 'visible') timer = setTimeout(refresh, again ? 0 : POLL_MS);
        again = false;
      });
    return inFlight;
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      refresh();
    } else {
      clearTimeout(timer);
      $('updated').textContent = 'Paused while this tab is hidden.';
    }
  });

  refresh();
})();
