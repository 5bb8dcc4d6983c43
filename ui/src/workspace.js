// The code locations the server has loaded, and how to name a job or repository to it.

export class Workspace {
  constructor(data) {
    const conn = data?.repositoriesOrError;
    this.error = conn && conn.__typename !== "RepositoryConnection" ? conn.message : null;
    this.repos = conn?.nodes ?? [];
  }

  /** Every job with the repository it is in, sorted by name. */
  get jobs() {
    const out = [];
    for (const r of this.repos) for (const p of r.pipelines) out.push({ ...p, repo: r });
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  repositorySelectors() {
    return this.repos.map((r) => ({ repositoryName: r.name, repositoryLocationName: r.location.name }));
  }

  /** The PipelineSelector of a job by name, or null when no repository has it. */
  jobSelector(name) {
    for (const r of this.repos) {
      if (r.pipelines.some((p) => p.name === name)) {
        return { pipelineName: name, repositoryName: r.name, repositoryLocationName: r.location.name };
      }
    }
    return null;
  }

  job(name) {
    return this.jobs.find((j) => j.name === name) ?? null;
  }
}
