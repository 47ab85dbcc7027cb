payroll_job = "payroll-job"
