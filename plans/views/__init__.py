"""Plan views: plans and the editor page, their objectives/tasks/rows, and the reports."""
