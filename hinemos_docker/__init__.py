"""hinemos-docker: Docker containers as Hinemos nodes, monitors and jobs."""
__version__ = "1.0.0"
