"""ML projects: projects/<name>/ (project.yaml and Jobs / Pipelines API specs) per environment."""
